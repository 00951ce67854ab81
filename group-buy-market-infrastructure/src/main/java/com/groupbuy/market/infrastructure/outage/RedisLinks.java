package com.groupbuy.market.infrastructure.outage;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodeAsync;
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
 * <p>
 * Nor is a node that answers on our other connections: Redis at its {@code maxclients} closes each new connection the
 * pool grows (after {@code ERR max number of clients reached}), Redisson reports that as the node disconnected, and
 * no connect followed while the pool's other connections served: the node stayed "down" after a burst
 * (RedisClientLimitIT), and a later command that met a closed connection waited the reconnect wait and answered
 * E0401 instead of being sent again. So a reported drop is checked with a PING on the pool: answered, the node is up.
 */
@Slf4j
@Component
public class RedisLinks implements ConnectionListener {

    private final Set<InetSocketAddress> down = ConcurrentHashMap.newKeySet();
    /** How long a node that reported a drop has to answer its PING, and the pause before asking again. */
    private static final long PING_TIMEOUT_MILLIS = 1_000;

    private static final long ASK_AGAIN_MILLIS = 500;

    /** The nodes our commands go to now, or null when not known (every node that dropped counts). */
    private final Supplier<Collection<InetSocketAddress>> nodesInUse;
    /** Whether a node answers a PING on our pool; null when nodes are not asked (tests that wire it by hand). */
    private final Function<InetSocketAddress, CompletionStage<Boolean>> answers;

    /** Every node that dropped our connections counts until it takes one again (tests that wire it by hand). */
    public RedisLinks() {
        this(() -> null);
    }

    @Autowired
    public RedisLinks(ObjectProvider<RedissonClient> redisson) {
        this(
                () -> {
                    RedissonClient client = redisson.getIfAvailable();
                    return client == null ? null : mastersOf(client);
                },
                node -> {
                    RedissonClient client = redisson.getIfAvailable();
                    // A client shut down (the context closing) is not asked: nothing would stop asking it.
                    return client == null || client.isShuttingDown() || client.isShutdown() ? null : ping(client, node);
                });
    }

    RedisLinks(Supplier<Collection<InetSocketAddress>> nodesInUse) {
        this(nodesInUse, node -> null);
    }

    RedisLinks(
            Supplier<Collection<InetSocketAddress>> nodesInUse,
            Function<InetSocketAddress, CompletionStage<Boolean>> answers) {
        this.nodesInUse = nodesInUse;
        this.answers = answers;
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
            askWhileDown(node);
        }
    }

    /**
     * PINGs the node until it answers or connects again: the first PING may itself need a connection the pool grows
     * and Redis refuses too (the pool's connections all busy), and no further drop is reported for a node Redisson
     * already counts disconnected.
     */
    private void askWhileDown(InetSocketAddress node) {
        CompletionStage<Boolean> answer;
        try {
            answer = answers.apply(node);
        } catch (RuntimeException e) {
            log.debug("Redis {} not asked whether it answers", node, e);
            return;
        }
        if (answer == null) {
            return;
        }
        answer.whenComplete((answered, failure) -> {
            if (!down.contains(node)) {
                return;
            }
            if (Boolean.TRUE.equals(answered)) {
                if (down.remove(node)) {
                    log.info(
                            "Redis {} answers on our other connections: one refused or dropped is not the node down",
                            node);
                }
            } else {
                // On the JDK's delay thread itself: asking only sends an asynchronous PING. Without an executor the
                // ask went to the common pool, which below 3 processors starts a new thread for every task.
                CompletableFuture.delayedExecutor(ASK_AGAIN_MILLIS, TimeUnit.MILLISECONDS, Runnable::run)
                        .execute(() -> askWhileDown(node));
            }
        });
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

    /** A PING to {@code node} on the pool; null when it is no node of ours now, or Redisson cannot tell. */
    private static CompletionStage<Boolean> ping(RedissonClient redisson, InetSocketAddress node) {
        Collection<? extends RedisNode> masters = masterNodesOf(redisson);
        for (RedisNode candidate : masters == null ? List.<RedisNode>of() : masters) {
            if (candidate.getAddr().equals(node) && candidate instanceof RedisNodeAsync async) {
                return async.pingAsync(PING_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        return null;
    }

    private static Collection<InetSocketAddress> mastersOf(RedissonClient redisson) {
        Collection<? extends RedisNode> masters = masterNodesOf(redisson);
        return masters == null ? null : masters.stream().map(RedisNode::getAddr).toList();
    }

    /**
     * The masters, where every command of ours goes (reads too: {@code OutageConfig} reads from masters); null for a
     * topology not asked about, or when Redisson cannot tell (shutting down).
     */
    private static Collection<? extends RedisNode> masterNodesOf(RedissonClient redisson) {
        try {
            Config config = redisson.getConfig();
            if (config.isClusterConfig()) {
                return redisson.getRedisNodes(RedisNodes.CLUSTER).getMasters();
            }
            if (config.isSingleConfig()) {
                return List.of(redisson.getRedisNodes(RedisNodes.SINGLE).getInstance());
            }
        } catch (RuntimeException e) {
            log.debug("Redis nodes in use not known", e);
        }
        return null;
    }
}
