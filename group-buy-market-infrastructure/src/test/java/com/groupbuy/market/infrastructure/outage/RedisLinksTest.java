package com.groupbuy.market.infrastructure.outage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** A node Redisson reports disconnected is down until it connects again, or answers a PING on our other connections. */
class RedisLinksTest {

    private static final InetSocketAddress NODE = new InetSocketAddress("127.0.0.1", 6399);

    private final AtomicInteger asked = new AtomicInteger();

    /**
     * Redis at its maxclients closed a connection the pool grew: Redisson reports the node disconnected, and no connect
     * follows while the pool's other connections serve. Their PING's answer clears it.
     */
    @Test
    void aNodeThatAnswersOnOurOtherConnectionsIsNotDown() {
        RedisLinks links = new RedisLinks(() -> null, node -> answer(true));

        links.onDisconnect(NODE);

        assertThat(links.allReachable()).isTrue();
        assertThat(asked).hasValue(1);
    }

    /** The first PING found no connection either (the pool busy, its growth refused): asked again until it answers. */
    @Test
    void aNodeIsAskedAgainUntilItAnswers() {
        RedisLinks links = new RedisLinks(
                () -> null,
                node -> asked.incrementAndGet() < 3
                        ? CompletableFuture.failedFuture(new IllegalStateException("no connection"))
                        : CompletableFuture.completedFuture(true));

        links.onDisconnect(NODE);

        assertThat(links.allReachable()).isFalse();
        await(links::allReachable);
        assertThat(asked).hasValue(3);
    }

    /** A node that does not answer stays down until Redisson connects to it again; then it is no longer asked. */
    @Test
    void aNodeThatDoesNotAnswerIsDownUntilItConnectsAgain() {
        RedisLinks links = new RedisLinks(() -> null, node -> answer(false));

        links.onDisconnect(NODE);
        await(() -> asked.get() >= 2);
        assertThat(links.allReachable()).isFalse();

        links.onConnect(NODE);
        assertThat(links.allReachable()).isTrue();
        int askedWhenConnected = asked.get();
        LockSupport.parkNanos(1_200_000_000L);
        assertThat(asked.get()).isLessThanOrEqualTo(askedWhenConnected + 1);
    }

    private CompletionStage<Boolean> answer(boolean answered) {
        asked.incrementAndGet();
        return CompletableFuture.completedFuture(answered);
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 5 s").isLessThan(deadline);
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
