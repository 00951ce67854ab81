package com.groupbuy.market.infrastructure.trade.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCommit}'s batch of one (settlements, #19): handed back to its caller to be written alone, without the
 * writer and without counting as a fallback, while two writes that share a batch go to the writer.
 */
class GroupCommitTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private GroupCommit<String, String> group;

    @AfterEach
    void stop() throws InterruptedException {
        if (group != null) {
            group.close();
        }
        callers.shutdownNow();
    }

    @Test
    void aLoneWriteIsHandedBackToBeWrittenAloneAndTwoTogetherGoToTheWriter() throws Exception {
        group = new GroupCommit<>("t", "writes", this::write, true, 64, Duration.ofMillis(200), meters);

        assertThat(group.submit("lone")).isEmpty();
        assertThat(batches).isEmpty();

        Future<Optional<String>> a = callers.submit(() -> group.submit("a"));
        Future<Optional<String>> b = callers.submit(() -> group.submit("b"));
        assertThat(a.get(5, TimeUnit.SECONDS)).contains("a written");
        assertThat(b.get(5, TimeUnit.SECONDS)).contains("b written");
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsExactlyInAnyOrder("a", "b");
        assertThat(meters.get("gbm.t.group.commit.fallbacks").counter().count()).isZero();
        assertThat(meters.get("gbm.t.group.commit.batch").summary().count()).isEqualTo(2);
    }

    @Test
    void withoutItALoneWriteGoesToTheWriter() throws Exception {
        group = new GroupCommit<>("t", "writes", this::write, false, 64, Duration.ZERO, meters);

        assertThat(group.submit("lone")).contains("lone written");
        assertThat(batches).containsExactly(List.of("lone"));
    }

    private List<String> write(List<String> writes) {
        batches.add(List.copyOf(writes));
        return writes.stream().map(w -> w + " written").toList();
    }
}
