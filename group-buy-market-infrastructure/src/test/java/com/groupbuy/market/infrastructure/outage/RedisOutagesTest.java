package com.groupbuy.market.infrastructure.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisClusterDownException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.RedisReadonlyException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.client.WriteRedisConnectionException;

/** What is sent again: only a command never written, and only while every Redis node takes connections again. */
class RedisOutagesTest {

    private static final InetSocketAddress NODE = new InetSocketAddress("127.0.0.1", 6399);

    private final DependencyBreaker breaker = new DependencyBreaker("redis", 3, Duration.ofSeconds(2));
    private final RedisLinks links = new RedisLinks();
    private final RedisOutages outages =
            new RedisOutages(breaker, links, Duration.ofSeconds(3), Duration.ofMillis(300));
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void aCommandThatFoundAClosedConnectionIsSentAgainOnceTheNodeTakesConnectionsAgain() {
        links.onDisconnect(NODE);
        links.onConnect(NODE);

        assertThat(outages.call(failingFirst(3, this::notWritten))).isEqualTo("answer");
        assertThat(calls).hasValue(4);
        // Three stale connections in a row did not open the breaker.
        assertThat(breaker.isOpen()).isFalse();
        for (int i = 0; i < 2; i++) {
            assertThat(outages.call(failingFirst(3, this::notWritten))).isEqualTo("answer");
        }
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void aNodeStillDownAfterTheReconnectWaitIsAnOutageAndNothingIsSentAgain() {
        links.onDisconnect(NODE);

        assertThatThrownBy(() -> outages.call(failingFirst(1, this::notWritten)))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(calls).hasValue(1);
    }

    /**
     * A restart as the fresh-clone suite saw it: Redisson noticed the drop just before the command, and connected again
     * a few hundred ms later; the command is sent once the node takes connections again, not answered E0401.
     */
    @Test
    void aCommandThatMetTheDropIsSentAgainWhenTheNodeComesBackWithinTheReconnectWait() throws Exception {
        links.onDisconnect(NODE);
        Thread reconnect = new Thread(() -> {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            links.onConnect(NODE);
        });
        reconnect.start();
        // Bounds of a minute: however slow the machine, the node comes back within them.
        RedisOutages patient = new RedisOutages(breaker, links, Duration.ofMinutes(1), Duration.ofMinutes(1));

        assertThat(patient.call(failingFirst(1, this::notWritten))).isEqualTo("answer");
        reconnect.join();
        assertThat(calls).hasValue(2);
        assertThat(breaker.isOpen()).isFalse();
    }

    /**
     * A Redis Cluster master gone for good: a replica took over its slots and the old address never connects again.
     * It is no longer waited for once Redisson no longer sends to it, so a later command that met a closed connection
     * (another node restarted) is sent again, not answered E0401 after the reconnect wait for the rest of the
     * instance's life. On main (a private 3+3 cluster, a master killed) every node read as reachable never again.
     */
    @Test
    void aMasterReplacedForGoodIsNoLongerWaitedFor() {
        InetSocketAddress promoted = new InetSocketAddress("127.0.0.1", 6398);
        Set<InetSocketAddress> masters = ConcurrentHashMap.newKeySet();
        masters.add(NODE);
        RedisLinks cluster = new RedisLinks(() -> masters);
        RedisOutages outages = new RedisOutages(breaker, cluster, Duration.ofSeconds(3), Duration.ofMillis(300));
        cluster.onDisconnect(NODE);
        assertThat(cluster.allReachable()).as("while it still holds slots").isFalse();

        masters.remove(NODE);
        masters.add(promoted);

        assertThat(cluster.allReachable()).isTrue();
        assertThat(outages.call(failingFirst(1, this::notWritten))).isEqualTo("answer");
        assertThat(calls).hasValue(2);
        cluster.onDisconnect(promoted);
        assertThat(cluster.allReachable()).as("a master in use that dropped").isFalse();
    }

    @Test
    void aCommandThatMayHaveRunIsNeverSentAgain() {
        assertThatThrownBy(() -> outages.call(
                        failingFirst(1, () -> new RedisResponseTimeoutException("Redis server response timeout"))))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void sendingAgainStopsAfterItsBound() {
        RedisOutages briefly = new RedisOutages(breaker, links, Duration.ofMillis(100), Duration.ofMillis(100));
        assertThatThrownBy(() -> briefly.call(failingFirst(Integer.MAX_VALUE, this::notWritten)))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(calls.get()).isBetween(2, 10);
    }

    /**
     * A Redis Cluster failing a master: every node refuses every key with CLUSTERDOWN until a replica took over. That
     * is an outage (E0401, counted), not an error reply of ours (which stays what it was and closes the breaker).
     */
    @Test
    void aClusterThatIsDownIsAnOutageAndAnErrorReplyIsNot() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> outages.call(failingFirst(
                            Integer.MAX_VALUE, () -> new RedisClusterDownException("The cluster is down"))))
                    .isInstanceOf(DependencyUnavailableException.class);
        }
        assertThat(breaker.isOpen()).isTrue();
        assertThat(RedisOutages.isOutage(new RedisReadonlyException("You can't write against a read only replica.")))
                .isTrue();
        assertThat(RedisOutages.isOutage(new RedisException("ERR Error running script")))
                .isFalse();
    }

    /**
     * A Redis over its maxmemory (noeviction) refuses every write, a place script's first one too (so the script
     * wrote nothing): the dependency is out of service, as with BUSY or LOADING, not an error reply of ours. Redisson
     * reports the reply, here as a script gave it on Redis 7.0, as its own type.
     */
    @Test
    void aRedisOutOfMemoryIsAnOutage() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> outages.call(failingFirst(
                            Integer.MAX_VALUE,
                            () -> new RedisOutOfMemoryException(
                                    " command not allowed when used memory > 'maxmemory'. script: 5c4e, on"
                                            + " @user_script:2.. channel: [id: 0x1] data: CommandData"))))
                    .isInstanceOf(DependencyUnavailableException.class);
        }
        assertThat(breaker.isOpen()).isTrue();
    }

    /**
     * A Redis that cannot persist (its last RDB snapshot failed, or an AOF write) refuses every write and PING with
     * MISCONF until it persists again, a script's first write too (so the script wrote nothing): an outage, as OOM is.
     * Redisson reports the reply as a plain RedisException; here as a place script got it on Redis 7.0.15, and the AOF
     * refusal as Redis words it.
     */
    @Test
    void aRedisThatCannotPersistIsAnOutage() {
        assertThat(RedisOutages.isOutage(new RedisException("MISCONF Errors writing to the AOF file: No space left on"
                        + " device. channel: [id: 0x1] command: (EVALSHA)")))
                .isTrue();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> outages.call(failingFirst(
                            Integer.MAX_VALUE,
                            () -> new RedisException("MISCONF Redis is configured to save RDB snapshots, but it's"
                                    + " currently unable to persist to disk. Commands that may modify the data set are"
                                    + " disabled, because this instance is configured to report errors during writes"
                                    + " if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check"
                                    + " the Redis logs for details about the RDB error. script: a4c1f2d4, on"
                                    + " @user_script:2.. channel: [id: 0x1] data: CommandData"))))
                    .isInstanceOf(DependencyUnavailableException.class);
        }
        assertThat(breaker.isOpen()).isTrue();
    }

    /**
     * Redisson loads a script again after one NOSCRIPT; a second one reaches us only when the node lost its script
     * cache again in between (a second flush, a restart, a failover): the script never ran, an outage, sent once.
     */
    @Test
    void aScriptCacheLostAgainAfterRedissonsReloadIsAnOutage() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> outages.call(failingFirst(
                            Integer.MAX_VALUE,
                            () -> new RedisNoScriptException("NOSCRIPT No matching script. Please use EVAL.. channel:"
                                    + " [id: 0x1] data: CommandData"))))
                    .isInstanceOf(DependencyUnavailableException.class);
        }
        assertThat(calls).hasValue(3);
        assertThat(breaker.isOpen()).isTrue();
    }

    /**
     * A Redis at its maxclients answers the first PING of a connection the pool grew with this error reply, which
     * Redisson reports as a plain RedisException: an outage (E0401), as Redis refusing to connect at all is.
     */
    @Test
    void aConnectionRefusedAtMaxclientsIsAnOutage() {
        assertThat(RedisOutages.isOutage(refused())).isTrue();
        RedisOutages briefly = new RedisOutages(breaker, links, Duration.ofMillis(100), Duration.ofMillis(100));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> briefly.call(failingFirst(Integer.MAX_VALUE, this::refused)))
                    .isInstanceOf(DependencyUnavailableException.class);
        }
        // Refused for the whole resend window, three calls in a row: no connection of ours gets through.
        assertThat(breaker.isOpen()).isTrue();
    }

    /**
     * The refused connection was one the pool grew under a burst; the call was never written, and the pool's other
     * connections serve: it is sent again, answered, and counts nothing (on main it was E0401, and a burst's
     * refusals opened the breaker for every call while the pooled connections served).
     */
    @Test
    void aCallWhoseNewConnectionWasRefusedIsSentAgainOnAPooledOne() {
        // The node's refused connection was reported as a drop; the refusal itself says Redis answers.
        links.onDisconnect(NODE);
        for (int i = 0; i < 3; i++) {
            calls.set(0);
            assertThat(outages.call(failingFirst(2, this::refused))).isEqualTo("answer");
            assertThat(calls).hasValue(3);
        }
        assertThat(breaker.isOpen()).isFalse();
    }

    private RuntimeException refused() {
        return new RedisException("ERR max number of clients reached. channel: [id: 0x1] command: (PING), params: []");
    }

    private RuntimeException notWritten() {
        return new WriteRedisConnectionException(
                "Unable to write command into connection!", new ClosedChannelException());
    }

    private Supplier<String> failingFirst(int failures, Supplier<RuntimeException> failure) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw failure.get();
            }
            return "answer";
        };
    }
}
