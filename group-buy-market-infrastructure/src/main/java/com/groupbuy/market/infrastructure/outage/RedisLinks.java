package com.groupbuy.market.infrastructure.outage;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;
import org.redisson.connection.ConnectionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which Redis nodes dropped our connections and have not taken a new one since, from Redisson's connection events
 * (registered by {@code OutageConfig}). Redisson reports a node disconnected when its first connection drops, and
 * connected again when the first one is re-established: from then on the node answers, and a pooled connection still
 * found closed is one the old server closed that Redisson has not reconnected yet, not an outage.
 * <p>
 * A node our commands no longer go to is not waited for: a Redis Cluster master gone for good, whose slots a replica
 * took over, never connects again, and it stayed "down" here for the instance's life, so every command that later
 * found a closed connection (another node's restart) waited the reconnect wait and answered E0401 instead of being
 * sent again (seen on a private 3+3 cluster: still down 10 s after the replica served its slots).
 */
@Slf4j
@Component
public class RedisLinks implements ConnectionListener {

    private final Set<InetSocketAddress> down = ConcurrentHashMap.newKeySet();
    /** The nodes our commands go to now, or null when not known (every node that dropped counts). */
    private final Supplier<Collection<InetSocketAddress>> nodesInUse;

    /** Every node that dropped our connections counts until it takes one again (tests that wire it by hand). */
    public RedisLinks() {
        this(() -> null);
    }

    @Autowired
    public RedisLinks(ObjectProvider<RedissonClient> redisson) {
        this(() -> {
            RedissonClient client = redisson.getIfAvailable();
            return client == null ? null : mastersOf(client);
        });
    }

    RedisLinks(Supplier<Collection<InetSocketAddress>> nodesInUse) {
        this.nodesInUse = nodesInUse;
    }

    @Override
    public void onConnect(InetSocketAddress node) {
        if (down.remove(node)) {
            log.info("Redis {} takes connections again", node);
        }
    }

    @Override
    public void onDisconnect(InetSocketAddress node) {
        if (down.add(node)) {
            log.warn("Redis {} dropped our connections", node);
        }
    }

    /** True while every node in use that dropped our connections has taken a new one since. */
    public boolean allReachable() {
        if (down.isEmpty()) {
            return true;
        }
        Collection<InetSocketAddress> inUse = nodesInUse.get();
        if (inUse != null) {
            for (InetSocketAddress node : down) {
                if (!inUse.contains(node) && down.remove(node)) {
                    log.info(
                            "Redis {} no longer serves our commands (another node took its place): not waited for",
                            node);
                }
            }
        }
        return down.isEmpty();
    }

    /**
     * The masters, where every command of ours goes (reads too: {@code OutageConfig} reads from masters); null for a
     * topology not asked about, or when Redisson cannot tell (shutting down).
     */
    private static Collection<InetSocketAddress> mastersOf(RedissonClient redisson) {
        try {
            Config config = redisson.getConfig();
            if (config.isClusterConfig()) {
                return redisson.getRedisNodes(RedisNodes.CLUSTER).getMasters().stream()
                        .map(RedisNode::getAddr)
                        .toList();
            }
            if (config.isSingleConfig()) {
                return List.of(
                        redisson.getRedisNodes(RedisNodes.SINGLE).getInstance().getAddr());
            }
        } catch (RuntimeException e) {
            log.debug("Redis nodes in use not known", e);
        }
        return null;
    }
}
