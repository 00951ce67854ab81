package com.groupbuy.market.infrastructure.tag.repository;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.infrastructure.tag.dao.ICrowdUserIndexDao;
import com.groupbuy.market.infrastructure.tag.po.CrowdUserIndexPO;
import com.groupbuy.market.types.partner.Partner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Repository;

/**
 * Bit positions of partner users (source + channel + exact user id) from {@code crowd_user_index}, behind an
 * in-process cache. A position never changes once given,
 * so a cached position is never stale; only "no position yet" can be, and it is kept for the TTL at most (a
 * user first tagged by an import on another node is seen as a member within it). An in-process cache rather
 * than a Redis hash: it costs no round trip on the trial path and no Redis memory per user ever tagged. Users
 * without a position are kept apart from those with one: the trial is unauthenticated, and invented user ids
 * sharing one bounded cache with the real positions pushed the tagged members' positions out (each of their trials
 * then read the table again).
 */
@Repository
public class UserBitIndexRepository implements IUserBitIndexRepository {

    private final ICrowdUserIndexDao dao;
    /** Positions given: bounded by the users imports tagged, never by what callers invent. */
    private final Cache<PartnerUserVO, Long> found;
    /** Users without a position yet: as many as callers invent, so bounded, and evicting only one another. */
    private final Cache<PartnerUserVO, Boolean> absent;
    /**
     * Assignments so far, per stripe of users: a lookup that read "no position" keeps it only if no assignment of a
     * user of its stripe happened since it began. Without it a lookup that read the table just before an import on this
     * instance gave the user a position cached its "none" after the import had cleared the user's entry, and the user
     * it had just imported was a non-member here for the TTL (UserBitIndexStaleAbsenceIT). Striped so that an import
     * running beside a flood of invented ids still lets most of their "none" be kept.
     */
    private final AtomicLongArray assignments = new AtomicLongArray(STRIPES);

    private static final int STRIPES = 1024;

    public UserBitIndexRepository(ICrowdUserIndexDao dao, @Qualifier("userIndexCacheTtl") Duration ttl) {
        this.dao = dao;
        this.found = CacheBuilder.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(200_000)
                .build();
        this.absent = CacheBuilder.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(200_000)
                .build();
    }

    @Override
    public Map<PartnerUserVO, Long> assign(Collection<PartnerUserVO> users) {
        // One partner's users per statement: each lookup and insert is a range of uq_partner_user. An import page is
        // usually one partner's; a page mixing partners costs a statement pair per partner in it.
        Map<Partner, List<String>> byPartner = new LinkedHashMap<>();
        for (PartnerUserVO user : new LinkedHashSet<>(users)) {
            byPartner
                    .computeIfAbsent(new Partner(user.source(), user.channel()), p -> new ArrayList<>())
                    .add(user.userId());
        }
        Map<PartnerUserVO, Long> positions = new HashMap<>();
        byPartner.forEach((partner, userIds) -> positions.putAll(assign(partner, userIds)));
        positions.forEach((user, position) -> {
            found.put(user, position);
            // Counted before the entry is cleared: a lookup's "none" put after this clear sees the count moved.
            assignments.incrementAndGet(stripe(user));
            absent.invalidate(user);
        });
        return positions;
    }

    private Map<PartnerUserVO, Long> assign(Partner partner, List<String> userIds) {
        Map<PartnerUserVO, Long> positions = query(partner, userIds);
        List<String> missing = userIds.stream()
                .filter(id -> !positions.containsKey(new PartnerUserVO(partner.source(), partner.channel(), id)))
                .toList();
        // Insert only the users without a position: the insert burns an auto-increment value for every taken key it
        // skips, and a re-run of a big tag would otherwise leave gaps as large as the tag in every bitmap.
        if (!missing.isEmpty()) {
            dao.insertUnlessTaken(partner.source(), partner.channel(), missing);
            positions.putAll(query(partner, missing));
        }
        return positions;
    }

    @Override
    public Long find(PartnerUserVO user) {
        if (absent.getIfPresent(user) != null) {
            return null;
        }
        int stripe = stripe(user);
        long assignmentsBefore = assignments.get(stripe);
        try {
            // No position fails the load (Guava caches no failure; concurrent callers of the user share it), so a
            // user without one never takes a place among the positions given.
            return found.get(user, () -> {
                Long position = dao.queryByUser(user.source(), user.channel(), user.userId());
                if (position == null) {
                    throw NoPosition.INSTANCE;
                }
                return position;
            });
        } catch (ExecutionException e) {
            if (e.getCause() == NoPosition.INSTANCE) {
                absent.put(user, Boolean.TRUE);
                // An assignment since the read (its position may be newer than what the read saw, and it may have
                // cleared the entry before the put above): the "none" is not kept. Checked after the put, so either
                // the assignment's clear comes after the put or this check sees the assignment.
                if (assignments.get(stripe) != assignmentsBefore) {
                    absent.invalidate(user);
                }
                return null;
            }
            throw new IllegalStateException("cannot read the bit position of user " + user, e.getCause());
        }
    }

    private static int stripe(PartnerUserVO user) {
        return Math.floorMod(user.hashCode(), STRIPES);
    }

    /** The load's "no position yet": checked, so Guava hands it back as the cause of an {@link ExecutionException}. */
    private static final class NoPosition extends Exception {
        private static final NoPosition INSTANCE = new NoPosition();

        private NoPosition() {
            super("no position", null, false, false);
        }
    }

    private Map<PartnerUserVO, Long> query(Partner partner, List<String> userIds) {
        Map<PartnerUserVO, Long> positions = new HashMap<>();
        for (CrowdUserIndexPO po : dao.queryByUserIds(partner.source(), partner.channel(), userIds)) {
            positions.put(new PartnerUserVO(po.getSource(), po.getChannel(), po.getUserId()), po.getBitIndex());
        }
        return positions;
    }
}
