package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A lock's {@code notifyUrl} is the caller's choice, so one partner can name another partner's host and port with a
 * path that answers 404. Its failed callbacks counted against the breaker of that host:port, which the other partner's
 * callbacks share: the breaker opened and the other partner's callbacks waited "not sent: circuit open" for as long
 * as the first kept failing there.
 */
@IntegrationTest
// The production breaker (the test profile raises its minimum calls out of reach).
@TestPropertySource(
        properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0", "gbm.notify.guard.minimum-calls=10"})
class SharedHostBreakerIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Test
    void anotherPartnersFailingCallbacksToTheSameHostDoNotHoldBackAPartnersOwn() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        try (PartnerServer mall = new PartnerServer((path, team) -> "/cb".equals(path)
                        ? PartnerServer.answer(200, "success")
                        : PartnerServer.answer(404, "not found"))
                .start()) {
            for (int i = 0; i < 20; i++) {
                tasks.dueTask(mall.url("/not-yours"), "s66", "c66");
            }
            assertThat(notifyService.deliverAllDue().retried()).isEqualTo(20);

            String own = tasks.dueTask(mall.url("/cb"), "s01", "c01");
            notifyService.deliverAllDue();

            assertThat(jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = ?", String.class, own))
                    .as("s01's callback to its own endpoint")
                    .isNull();
            assertThat(tasks.status(own)).isEqualTo(1);
        }
    }
}
