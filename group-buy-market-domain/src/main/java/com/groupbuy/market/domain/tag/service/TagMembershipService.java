package com.groupbuy.market.domain.tag.service;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import java.time.Duration;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Membership from the tag's bitmap, at the bit of the calling partner's user (a position per partner + user id). A tag whose members were never loaded admits nobody: the original let
 * everyone in, which handed restricted prices to the whole public. That case is logged at WARN, at most once a
 * minute per tag, because it is an operator's mistake (a job not run) and would otherwise flood the log. A tag that
 * was imported (the database says so) but has no bitmap in Redis was lost by Redis, not left unloaded: it is answered
 * from the database and rebuilt ({@link TagBitmapRepair}).
 */
@Slf4j
@Service
public class TagMembershipService implements ITagMembershipService {

    private final IUserBitIndexRepository bitIndex;
    private final ITagBitmap bitmap;
    private final Cache<String, Boolean> warned = CacheBuilder.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(10_000)
            .build();

    /** Null: a missing bitmap is never repaired (unit tests of the bitmap path alone). */
    private final TagBitmapRepair repair;

    public TagMembershipService(IUserBitIndexRepository bitIndex, ITagBitmap bitmap) {
        this(bitIndex, bitmap, null);
    }

    @Autowired
    public TagMembershipService(IUserBitIndexRepository bitIndex, ITagBitmap bitmap, TagBitmapRepair repair) {
        this.bitIndex = bitIndex;
        this.bitmap = bitmap;
        this.repair = repair;
    }

    @Override
    public boolean isMember(String tagId, String source, String channel, String userId) {
        PartnerUserVO user = new PartnerUserVO(source, channel, userId);
        Long position = bitIndex.find(user);
        if (position != null && bitmap.contains(tagId, position)) {
            return true;
        }
        // Only a miss needs to know why: a member answers in the two lookups above.
        if (bitmap.isLoaded(tagId)) {
            // The bit was read before the loaded mark: an import or a rebuild (after Redis lost its data) may have
            // published the bitmap in between, and then "no bit" was the missing bitmap's. Publishing sets the bitmap
            // and the mark in one step, so the bit read now is the published one's (TagRedisRestartIT: 3 of 40 members
            // priced as non-members while the rebuild published during a burst).
            return position != null && bitmap.contains(tagId, position);
        }
        if (repair != null && repair.wasImported(tagId)) {
            // Imported, yet Redis has no bitmap: Redis lost its data. Rebuilt in the background (once, see
            // TagBitmapRepair); meanwhile the database answers, so a member keeps the tag's price and lock and a
            // non-member (also another partner's user with this id) is still refused.
            if (warned.asMap().putIfAbsent("lost:" + tagId, Boolean.TRUE) == null) {
                log.warn(
                        "crowd tag {} was imported but its bitmap is missing in Redis (Redis lost its data): checks "
                                + "answer from the database until it is rebuilt",
                        tagId);
            }
            repair.requestRebuild(tagId);
            return repair.isMemberInDatabase(tagId, user);
        }
        if (warned.asMap().putIfAbsent(tagId, Boolean.TRUE) == null) {
            log.warn(
                    "crowd tag {} has no loaded members (run the crowdTagImportJob for it): user {} of {}/{} and "
                            + "everyone else are treated as non-members",
                    tagId,
                    userId,
                    source,
                    channel);
        }
        return false;
    }
}
