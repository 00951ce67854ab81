package com.groupbuy.market.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * What Redis does when full is the operator's choice ({@code maxmemory-policy}), and ours only under {@code
 * noeviction} (the default: a full Redis refuses writes, docs/operations.md "maxmemory"). Under {@code allkeys-*} it
 * deletes keys of ours without a word, none of which is a cache: a crowd tag's live bitmap gone while its "loaded" mark
 * stays makes every member a non-member (no audience price, E0007 on lock; RedisEvictionPolicyIT), and team place
 * counters, reservations, replay marks, login limits and live switches vanish the same way. So a start reads {@code
 * maxmemory_policy} from {@code INFO memory} (no CONFIG needed, which managed Redis often disables) on every master and
 * refuses any policy but {@code noeviction}: {@code volatile-*} evicts only keys with a TTL, but a replay mark
 * ({@code FirstUseMarks}: SET NX with a TTL) evicted lets a replay through, and a team's place hash (EXPIRE a day
 * after the team) evicted forgets the places in flight. A master that cannot be read (Redis down at start) is a WARN,
 * not a refusal: the outage paths answer for that.
 */
@Component
public class RedisEvictionPolicyCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RedisEvictionPolicyCheck.class);

    private final RedissonClient redisson;

    public RedisEvictionPolicyCheck(RedissonClient redisson) {
        this.redisson = redisson;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<RedisNode> masters;
        try {
            masters = masters();
        } catch (RuntimeException e) {
            log.warn("cannot list the Redis masters to read their maxmemory-policy: {}", e.toString());
            return;
        }
        for (RedisNode master : masters) {
            String policy;
            try {
                Map<String, String> memory = master.info(RedisNode.InfoSection.MEMORY);
                policy = memory == null ? null : memory.get("maxmemory_policy");
            } catch (RuntimeException e) {
                log.warn("cannot read maxmemory-policy of Redis {}: {}", master.getAddr(), e.toString());
                continue;
            }
            verify(master.getAddr().getHostString() + ":" + master.getAddr().getPort(), policy);
        }
    }

    /** Refuses (IllegalStateException) any policy but {@code noeviction}; nothing when the server reports none. */
    static void verify(String address, String policy) {
        if (policy == null || "noeviction".equals(policy)) {
            return;
        }
        String lost = policy.startsWith("volatile-")
                ? "keys of ours that carry a TTL and are still needed (replay marks, team place counts and"
                        + " reservations, rebuild leases)"
                : "any key of ours (crowd tag members, team places, replay marks, login limits, live switches)";
        throw new IllegalStateException("refusing to start: Redis " + address + " runs maxmemory-policy " + policy
                + ", which deletes " + lost + " when memory is full; none of them is a cache: set maxmemory-policy"
                + " noeviction (docs/operations.md)");
    }

    private List<RedisNode> masters() {
        if (redisson.getConfig().isClusterConfig()) {
            return new ArrayList<>(redisson.getRedisNodes(RedisNodes.CLUSTER).getMasters());
        }
        if (redisson.getConfig().isSingleConfig()) {
            return List.of(redisson.getRedisNodes(RedisNodes.SINGLE).getInstance());
        }
        if (redisson.getConfig().isSentinelConfig()) {
            return List.of(
                    redisson.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster());
        }
        return List.of(redisson.getRedisNodes(RedisNodes.MASTER_SLAVE).getMaster());
    }
}
