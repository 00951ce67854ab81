package com.groupbuy.market.infrastructure.outage;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import lombok.extern.slf4j.Slf4j;
import org.redisson.connection.ConnectionListener;
import org.springframework.stereotype.Component;

/**
 * Which Redis nodes dropped our connections and have not taken a new one since, from Redisson's connection events
 * (registered by {@code OutageConfig}). Redisson reports a node disconnected when its first connection drops, and
 * connected again when the first one is re-established: from then on the node answers, and a pooled connection still
 * found closed is one the old server closed that Redisson has not reconnected yet, not an outage.
 */
@Slf4j
@Component
public class RedisLinks implements ConnectionListener {

    private final Set<InetSocketAddress> down = ConcurrentHashMap.newKeySet();

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

    /** True while every node that dropped our connections has taken a new one since. */
    public boolean allReachable() {
        return down.isEmpty();
    }
}
