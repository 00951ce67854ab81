package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the timeout job's settings may ask for. {@code gbm.timeout.run-budget=0} (or negative) made every run close
 * nothing and report success, so expired teams and unpaid locks were never closed; a page of a million rows was read
 * in one query; {@code 50m} (meant 50 s) held the job thread for most of an hour. Refused at start, naming the setting.
 */
class TradeTimeoutSettingsTest {

    @Test
    void aPageSizeOrRunBudgetOutOfBoundsIsRefusedAtStart() {
        for (int page : List.of(0, -1, 10_001, 1_000_000)) {
            assertThatThrownBy(() -> service(page, Duration.ofSeconds(50)))
                    .as("page " + page)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.timeout.page-size");
        }
        for (Duration budget : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(11))) {
            assertThatThrownBy(() -> service(100, budget))
                    .as("budget " + budget)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.timeout.run-budget");
        }
    }

    /**
     * An unpaid timeout of zero or less closed every buyer's lock as soon as its close check ran (and the timeout job
     * any lock older than its margin); a negative expiry grace failed open teams before their validity ended. Both
     * are refused at start, naming the setting; unset (no unpaid timeout) and a zero grace stay allowed.
     */
    @Test
    void anUnpaidTimeoutOrExpiryGraceThatClosesTooEarlyIsRefusedAtStart() {
        for (Duration unpaid : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofMinutes(-15))) {
            assertThatThrownBy(() -> policy(unpaid, Duration.ofSeconds(60)))
                    .as("unpaid timeout " + unpaid)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.timeout.unpaid-timeout");
        }
        assertThatThrownBy(() -> policy(Duration.ofMinutes(15), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gbm.timeout.expiry-grace");
        assertThatCode(() -> policy(null, Duration.ZERO)).doesNotThrowAnyException();
        // Ten thousand years ("keep for ever") put the job's bound before the year 1; refused, naming the setting.
        for (Duration huge : List.of(Duration.ofDays(366), Duration.ofDays(3_650_000))) {
            assertThatThrownBy(() -> policy(huge, Duration.ofSeconds(60)))
                    .as("unpaid timeout " + huge)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.timeout.unpaid-timeout must be at most 365 days");
            assertThatThrownBy(() -> policy(Duration.ofMinutes(15), huge))
                    .as("expiry grace " + huge)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.timeout.expiry-grace must be at most 365 days");
        }
        assertThatCode(() -> policy(Duration.ofDays(365), Duration.ofDays(365))).doesNotThrowAnyException();
        assertThatCode(() -> policy(Duration.ofSeconds(1), Duration.ofSeconds(60)))
                .doesNotThrowAnyException();
    }

    /**
     * The backstop margin is taken off "now" to find what is overdue: a negative one (an operator's {@code -30s}) made
     * every run fail teams still inside their validity and close unpaid locks before their timeout; one reaching back
     * before the year 1 made every run's query refused. Refused at start, naming the setting, delay path on or off.
     */
    @Test
    void aBackstopMarginThatClosesEarlyOrNeverIsRefusedAtStart() {
        for (boolean delayPath : List.of(true, false)) {
            for (Duration margin : List.of(
                    Duration.ofSeconds(-1),
                    Duration.ofMinutes(-20),
                    Duration.ofDays(366),
                    Duration.ofDays(3_650_000))) {
                assertThatThrownBy(() -> service(delayPath, margin))
                        .as("margin %s, delay path %s", margin, delayPath)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(
                                "gbm.close-check.backstop-margin must be zero or positive and at most 365 days");
            }
            assertThatCode(() -> service(delayPath, Duration.ZERO)).doesNotThrowAnyException();
            assertThatCode(() -> service(delayPath, Duration.ofDays(365))).doesNotThrowAnyException();
        }
    }

    private static CloseCheckPolicy policy(Duration unpaidTimeout, Duration expiryGrace) {
        return new CloseCheckPolicy(false, unpaidTimeout, expiryGrace, new PaymentGrace(Duration.ZERO, Map.of()));
    }

    private static TradeTimeoutService service(int pageSize, Duration runBudget) {
        return service(false, Duration.ZERO, pageSize, runBudget);
    }

    private static TradeTimeoutService service(boolean delayPath, Duration backstopMargin) {
        return service(delayPath, backstopMargin, 100, Duration.ofSeconds(50));
    }

    private static TradeTimeoutService service(
            boolean delayPath, Duration backstopMargin, int pageSize, Duration runBudget) {
        // Collaborators are never reached: the settings are checked first.
        return new TradeTimeoutService(
                null,
                null,
                null,
                null,
                null,
                new CloseCheckPolicy(
                        delayPath,
                        Duration.ofMinutes(15),
                        Duration.ofSeconds(60),
                        new PaymentGrace(Duration.ZERO, Map.of())),
                backstopMargin,
                pageSize,
                runBudget,
                null,
                OutageLog.NONE,
                new RunStop());
    }
}
