package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.infrastructure.outage.RedisLinks;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code gbm.outage.redis-resend-within} and {@code .redis-reconnect-wait} have one reading: the bound {@link
 * OutageProperties} the Redis breaker's calls are built from. On main {@code RedisOutages} was a component reading its
 * own placeholders with defaults of its own, beside the bound fields nothing read (failed here: no such bean built
 * from the properties).
 */
class RedisOutagesSettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(OutageConfig.class, Enable.class)
            .withBean(ObjectMapper.class)
            .withBean(RedisLinks.class);

    @Test
    void theRedisCallsResendWithinTheBoundSettings() {
        context.run(started -> assertThat(started.getBean(RedisOutages.class))
                .extracting("resendWithinNanos", "reconnectWaitNanos")
                .containsExactly(
                        Duration.ofSeconds(3).toNanos(), Duration.ofSeconds(1).toNanos()));
        context.withPropertyValues("gbm.outage.redis-resend-within=7s", "gbm.outage.redis-reconnect-wait=2s")
                .run(started -> assertThat(started.getBean(RedisOutages.class))
                        .extracting("resendWithinNanos", "reconnectWaitNanos")
                        .containsExactly(
                                Duration.ofSeconds(7).toNanos(),
                                Duration.ofSeconds(2).toNanos()));
    }

    @EnableConfigurationProperties(OutageProperties.class)
    static class Enable {}
}
