package com.groupbuy.market.infrastructure.tag.repository;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.infrastructure.tag.dao.ICrowdUserIndexDao;
import com.groupbuy.market.infrastructure.tag.po.CrowdUserIndexPO;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Repository;

/**
 * Bit positions from {@code crowd_user_index}, behind an in-process cache. A position never changes once given,
 * so a cached position is never stale; only "no position yet" can be, and it is kept for the TTL at most (a
 * user first tagged by an import on another node is seen as a member within it). An in-process cache rather
 * than a Redis hash: it costs no round trip on the trial path and no Redis memory per user ever tagged.
 */
@Repository
public class UserBitIndexRepository implements IUserBitIndexRepository {

    private final ICrowdUserIndexDao dao;
    private final Cache<String, Optional<Long>> cache;

    public UserBitIndexRepository(ICrowdUserIndexDao dao, @Value("${gbm.tag.user-index-cache-ttl:30s}") Duration ttl) {
        this.dao = dao;
        this.cache = CacheBuilder.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(200_000)
                .build();
    }

    @Override
    public Map<String, Long> assign(Collection<String> userIds) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(userIds));
        if (distinct.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> positions = query(distinct);
        List<String> missing =
                distinct.stream().filter(id -> !positions.containsKey(id)).toList();
        // Insert only the users without a position: INSERT IGNORE burns an auto-increment value for every row it
        // skips, and a re-run of a big tag would otherwise leave gaps as large as the tag in every bitmap.
        if (!missing.isEmpty()) {
            dao.insertIgnore(missing);
            positions.putAll(query(missing));
        }
        positions.forEach((userId, position) -> cache.put(userId, Optional.of(position)));
        return positions;
    }

    @Override
    public Long find(String userId) {
        try {
            return cache.get(userId, () -> Optional.ofNullable(dao.queryByUserId(userId)))
                    .orElse(null);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the bit position of user " + userId, e.getCause());
        }
    }

    private Map<String, Long> query(List<String> userIds) {
        Map<String, Long> positions = new HashMap<>();
        for (CrowdUserIndexPO po : dao.queryByUserIds(userIds)) {
            positions.put(po.getUserId(), po.getBitIndex());
        }
        return positions;
    }
}
