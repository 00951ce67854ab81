package com.groupbuy.market.domain.tag.service;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import lombok.extern.slf4j.Slf4j;

/**
 * Membership of a tag whose bitmap Redis lost. Our Redis keeps nothing on disk: after a restart, a failover to an
 * empty replica or a flush, every imported tag's bitmap and "loaded" mark are gone, while the database still holds
 * the members (crowd_tags_detail, per partner user) and says the tag was imported (a done job). Without this every
 * tag-bound activity treated every buyer as a non-member until an operator ran the import again.
 * <p>
 * Such a tag is rebuilt from its member rows in the background, once: one thread per instance per tag (an in-process
 * set), one instance at a time (a claim in Redis with a lease, so a dead instance's claim runs out), and an instance
 * asks at most every 30 s. Until the bitmap is back a check answers from the
 * database: the tag's member row for this partner's exact user, one unique-key read. That admits exactly the users
 * the rebuild will load (the rows as they are now, as a rerun of the import would), never a non-member and never
 * another partner's user with the same id; and unlike answering "no" it does not take the audience price or the lock
 * from the tag's members while the rebuild runs (a big tag takes a while).
 * <p>
 * A rebuild failing for an outage (Redis or the database unavailable, asked again every 30 s for every tag lost) is
 * logged once when the rebuilds start failing and once when one runs again ({@link OutageLog}); any other failure is
 * a WARN with its stack each time.
 */
@Slf4j
public class TagBitmapRepair {

    private final ICrowdTagRepository tags;
    private final ITagBitmap bitmap;
    private final CrowdTagImportService imports;
    private final Executor executor;
    private final Duration lease;
    /**
     * Which failed rebuilds are outages, logged once each (the app's tells Redis or the database unavailable from other
     * failures); {@link OutageLog#NONE}: none, each a WARN with its stack.
     */
    private final OutageLog outages;

    /** Tags this instance is rebuilding now. */
    private final Set<String> rebuilding = ConcurrentHashMap.newKeySet();
    /**
     * Tags whose rebuild this instance asked for lately: not asked again at every check meanwhile (another instance may
     * hold the claim, or the rows cannot load: each ask is a log line and a Redis call).
     */
    private final Cache<String, Boolean> asked = CacheBuilder.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(30))
            .maximumSize(10_000)
            .build();
    /** Whether a tag was ever imported, for a short while: a never-imported tag costs one query per 10 s, not per check. */
    private final Cache<String, Boolean> imported = CacheBuilder.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(10))
            .maximumSize(10_000)
            .build();

    public TagBitmapRepair(
            ICrowdTagRepository tags,
            ITagBitmap bitmap,
            CrowdTagImportService imports,
            Executor executor,
            Duration lease,
            OutageLog outages) {
        this.tags = tags;
        this.bitmap = bitmap;
        this.imports = imports;
        this.executor = executor;
        this.lease = lease;
        this.outages = outages;
    }

    /** Whether an import of the tag ever finished (then a missing bitmap is a loss, not an operator's job not run). */
    public boolean wasImported(String tagId) {
        Boolean known = imported.getIfPresent(tagId);
        if (known == null) {
            known = tags.queryLatestDoneJobOfTag(tagId) != null;
            imported.put(tagId, known);
        }
        return known;
    }

    /** The database's answer for a tag whose bitmap is missing: the partner user's member row. */
    public boolean isMemberInDatabase(String tagId, PartnerUserVO user) {
        return tags.hasMember(tagId, user);
    }

    /** Starts the tag's rebuild in the background unless this instance asked for it a moment ago. */
    public void requestRebuild(String tagId) {
        if (asked.asMap().putIfAbsent(tagId, Boolean.TRUE) != null || !rebuilding.add(tagId)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    rebuildOnce(tagId);
                } finally {
                    rebuilding.remove(tagId);
                }
            });
        } catch (RejectedExecutionException e) {
            // Queue full (many tags lost at once) or shutting down: a later check asks again.
            rebuilding.remove(tagId);
            asked.invalidate(tagId);
        }
    }

    /** The rebuild itself, under the claim; public for tests that want it run now. */
    public void rebuildOnce(String tagId) {
        String token = UUID.randomUUID().toString();
        try {
            if (bitmap.isLoaded(tagId) || !bitmap.tryClaimRebuild(tagId, token, lease)) {
                outages.completed();
                return; // back already, or another instance is at it
            }
            try {
                // Checked again under the claim: the claim of an instance that just finished is gone too.
                if (!bitmap.isLoaded(tagId)) {
                    long members = imports.rebuild(tagId).members();
                    log.warn(
                            "crowd tag {} bitmap was missing in Redis (Redis lost its data): rebuilt from the database, "
                                    + "members={}",
                            tagId,
                            members);
                }
            } finally {
                bitmap.releaseRebuild(tagId, token);
            }
            outages.completed();
        } catch (IllegalArgumentException e) {
            // Rows an import refuses too (naming no partner): the operator's to fix, as for an import. Redis and the
            // database answered.
            outages.completed();
            log.warn(
                    "crowd tag {} bitmap cannot be rebuilt ({}); checks answer from the database",
                    tagId,
                    e.getMessage());
        } catch (RuntimeException e) {
            // Redis or the database down: checks keep answering from the database and a later one asks again.
            if (!outages.outage(e)) {
                log.warn("crowd tag {} bitmap rebuild failed; checks answer from the database meanwhile", tagId, e);
            }
        }
    }
}
