package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Settings behind the live switches that no instance could serve, written as operators write them: a bare number is
 * milliseconds to Spring. Each now stops the start, naming the setting.
 */
@IntegrationTest
class LiveSwitchSettingsIT {

    @Autowired
    Environment environment;

    /**
     * {@code gbm.switch.reload-interval} of {@code 0s} or a bare {@code 30} (meant as seconds): on main the switch timer
     * took zero or less as 1 ms, so an instance re-read the stored switches from the database a thousand (or thirty)
     * times a second, a safety net behind the change messages.
     */
    @Test
    void aReloadIntervalUnderASecondRefusesToStart() {
        List<String> started = new ArrayList<>();
        for (String interval : new String[] {"0s", "30"}) {
            Throwable refused = catchThrowable(() -> {
                try (SecondInstance instance =
                        SecondInstance.like(environment, "gbm.switch.reload-interval=" + interval)) {
                    started.add(interval + " on port " + instance.port());
                }
            });
            if (refused != null) {
                assertThat(refused)
                        .as("reload-interval=%s", interval)
                        .hasStackTraceContaining("gbm.switch.reload-interval must be at least 1 s");
            }
        }
        assertThat(started)
                .as("instances started re-reading the switches every few ms")
                .isEmpty();
    }

    /**
     * {@code gbm.rate-limit.user-keep-alive=10} (meant as minutes): Redisson's limiter (ours until 2026-12-05) refused a
     * bucket whose keep-alive is shorter than its one-second window when it set the bucket up, so with a user limit on,
     * every settlement (and lock) of the partner failed instead of being served or refused {@code 0006}. A keep-alive
     * under the window would drop permits still in it, so the service refuses to start with one.
     */
    @Test
    void aRateBucketKeepAliveUnderItsWindowRefusesToStart() {
        List<String> served = new ArrayList<>();
        Throwable refused = catchThrowable(() -> {
            try (SecondInstance instance =
                    SecondInstance.like(environment, "gbm.rate-limit.user=5", "gbm.rate-limit.user-keep-alive=10")) {
                HttpResponse<String> settlement = TestJson.post(
                        instance.port(), TradeClient.SETTLEMENT, TradeClient.settlementBody("rk1", TradeClient.now()));
                served.add(settlement.statusCode() + " " + settlement.body());
            }
        });
        assertThat(served)
                .as("settlements an instance with a 10 ms bucket keep-alive answered")
                .isEmpty();
        assertThat(refused)
                .hasStackTraceContaining("gbm.rate-limit.user-keep-alive must be at least 1 s")
                .hasStackTraceContaining("got PT0.01S");
    }
}
