package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The limit of failed admin authentications refuses the start out of its bounds: no failures allowed, a window under
 * a second (no limit at all) or over a day (operators locked out for longer than anyone expects).
 */
class ConsoleLoginLimitPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Enable.class);

    @Test
    void theDefaultsAndTheBoundsThemselvesStart() {
        context.run(started -> {
            ConsoleLoginLimitProperties limits = started.getBean(ConsoleLoginLimitProperties.class);
            assertThat(limits.getMaxFailures()).isEqualTo(10);
            assertThat(limits.getMaxFailuresAllAddresses()).isEqualTo(100);
            assertThat(limits.getWindow()).isEqualTo(Duration.ofMinutes(15));
            assertThat(limits.getKnownFor()).isEqualTo(Duration.ofDays(30));
        });
        context.withPropertyValues(
                        "gbm.console.login.max-failures=1",
                        "gbm.console.login.max-failures-all-addresses=1000000",
                        "gbm.console.login.window=24h",
                        "gbm.console.login.known-for=365d")
                .run(started -> assertThat(started).hasNotFailed());
        context.withPropertyValues("gbm.console.login.known-for=1m")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void valuesOutOfBoundsRefuseTheStart() {
        for (String setting : new String[] {
            "gbm.console.login.max-failures=0",
            "gbm.console.login.max-failures=10001",
            "gbm.console.login.max-failures-all-addresses=0",
            "gbm.console.login.window=999ms",
            "gbm.console.login.window=25h",
            "gbm.console.login.known-for=59s",
            "gbm.console.login.known-for=366d"
        }) {
            context.withPropertyValues(setting)
                    .run(refused -> assertThat(refused).as(setting).hasFailed());
        }
    }

    @EnableConfigurationProperties(ConsoleLoginLimitProperties.class)
    static class Enable {}
}
