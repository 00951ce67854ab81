package com.groupbuy.market.infrastructure.outbox.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which outcomes of a page one UPDATE may finish together. */
class NotifyTaskStoreGroupsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T04:30:00.123Z");

    @Test
    void outcomesOfOneClaimStateAndErrorGoTogetherWhateverTheirTimes() {
        List<NotifyAttemptOutcome> page = List.of(
                delivered(1, "lease", 0),
                delivered(2, "one-by-one", 5),
                delivered(3, "lease", 9),
                failed(4, "lease", "HTTP 5xx"),
                delivered(5, "lease", 13),
                failed(6, "lease", "HTTP 5xx"),
                failed(7, "lease", "timeout"),
                delivered(8, null, 20),
                delivered(9, null, 21));

        assertThat(NotifyTaskStore.alikeGroups(page))
                .containsExactly(List.of(0, 2, 4), List.of(1), List.of(3, 5), List.of(6), List.of(7), List.of(8));
    }

    @Test
    void aPageOfOneClaimIsOneGroup() {
        assertThat(NotifyTaskStore.alikeGroups(List.of(delivered(1, "t", 0), delivered(2, "t", 40))))
                .containsExactly(List.of(0, 1));
    }

    private static NotifyAttemptOutcome delivered(long id, String token, long millis) {
        Instant at = NOW.plusMillis(millis);
        return new NotifyAttemptOutcome(
                task(id, token), at, new DeliveryResult(true, 200, 2, null), NotifyTaskStatus.SUCCESS, at);
    }

    private static NotifyAttemptOutcome failed(long id, String token, String error) {
        return new NotifyAttemptOutcome(
                task(id, token),
                NOW,
                new DeliveryResult(false, 503, 2, error),
                NotifyTaskStatus.RETRY,
                NOW.plusSeconds(30));
    }

    private static NotifyTaskVO task(long id, String token) {
        return NotifyTaskVO.builder().id(id).claimToken(token).build();
    }
}
