package com.groupbuy.market.domain.tag.service;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import java.time.Duration;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

/**
 * Membership from the tag's bitmap, at the bit of the calling partner's user (a position per partner + user id). A tag whose members were never loaded admits nobody: the original let
 * everyone in, which handed restricted prices to the whole public. That case is logged at WARN, at most once a
 * minute per tag, because it is an operator's mistake (a job not run) and would otherwise flood the log.
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

    public TagMembershipService(IUserBitIndexRepository bitIndex, ITagBitmap bitmap) {
        this.bitIndex = bitIndex;
        this.bitmap = bitmap;
    }

    @Override
    public boolean isMember(String tagId, String source, String channel, String userId) {
        Long position = bitIndex.find(new PartnerUserVO(source, channel, userId));
        if (position != null && bitmap.contains(tagId, position)) {
            return true;
        }
        // Only a miss needs to know why: a member answers in the two lookups above.
        if (!bitmap.isLoaded(tagId) && warned.asMap().putIfAbsent(tagId, Boolean.TRUE) == null) {
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
