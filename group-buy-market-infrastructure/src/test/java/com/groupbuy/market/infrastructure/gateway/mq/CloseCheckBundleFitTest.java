package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A bundle larger than the broker's {@code max_message_size} is split into consecutive parts whose bodies each fit,
 * every check in exactly one part and in the bundle's order; a check too large on its own is a part of its own.
 */
class CloseCheckBundleFitTest {

    private static final Instant CLOSE_AT = Instant.parse("2026-12-06T23:00:00Z");

    @Test
    void eachPartFitsTheLimitAndEveryCheckIsInExactlyOnePartInOrder() {
        List<NotifyTaskVO> tasks = tasks(64, "");
        int[] bundle = IntStream.range(0, 64).map(i -> 63 - i).toArray();
        int whole = CloseCheckPublisher.bundleBody(tasks, bundle, 64).length;
        for (long limit : new long[] {200, 1_000, 4_096, whole - 1L, whole, 1L << 20}) {
            List<int[]> parts = CloseCheckPublisher.fit(tasks, bundle, 64, limit);
            List<Integer> seen = new ArrayList<>();
            for (int[] part : parts) {
                assertThat(CloseCheckPublisher.bundleBody(tasks, part, part.length).length)
                        .as("a part at limit %d", limit)
                        .isLessThanOrEqualTo((int) limit);
                for (int i : part) {
                    seen.add(i);
                }
            }
            assertThat(seen)
                    .as("every check once, in order")
                    .containsExactly(IntStream.of(bundle).boxed().toArray(Integer[]::new));
            if (limit >= whole) {
                assertThat(parts).hasSize(1);
            }
        }
        // Filled greedily: at 4,096 bytes a part holds as many checks as fit, not half of them.
        List<int[]> parts = CloseCheckPublisher.fit(tasks, bundle, 64, 4_096);
        int[] first = parts.get(0);
        int[] grown = IntStream.range(0, first.length + 1).map(k -> bundle[k]).toArray();
        assertThat(CloseCheckPublisher.bundleBody(tasks, grown, grown.length).length)
                .isGreaterThan(4_096);
    }

    @Test
    void aCheckLargerThanTheLimitIsAPartOfItsOwn() {
        List<NotifyTaskVO> tasks = tasks(3, "é".repeat(50));
        int[] bundle = {0, 1, 2};
        List<int[]> parts = CloseCheckPublisher.fit(tasks, bundle, 3, 100);
        assertThat(parts).hasSize(3).allMatch(part -> part.length == 1);
        assertThat(CloseCheckPublisher.fit(tasks, bundle, 2, 100)).hasSize(2);
    }

    private static List<NotifyTaskVO> tasks(int n, String pad) {
        List<NotifyTaskVO> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String teamId = String.format("t%07d", i);
            tasks.add(NotifyTaskVO.builder()
                    .id(i)
                    .webhookId("msg_" + teamId + pad)
                    .notifyType("DELAY")
                    .body(CloseCheckVO.teamExpiry(teamId, CLOSE_AT, Duration.ofSeconds(4))
                            .toJson())
                    .build());
        }
        return tasks;
    }
}
