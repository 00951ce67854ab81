package com.groupbuy.market.config;

import com.groupbuy.market.config.xxljob.ExecutorHttpServer;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Our XXL-Job executor's own settings ({@code gbm.xxl-job.*}; the library's are {@code xxl.job.*}). */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.xxl-job")
public class XxlJobExecutorProperties {

    /**
     * How often the executor registers with its console: 1 s to 60 s (else the start is refused). The console drops an
     * executor silent for 90 s, so past that it dropped us between beats and ran none of our jobs while it held us
     * every other minute; a bare {@code 30} (30 ms) registered with every console thirty times a second; zero stopped
     * the start inside the JDK's timer without naming the setting.
     */
    @DurationMin(seconds = 1)
    @DurationMax(seconds = 60)
    private Duration registryInterval = Duration.ofSeconds(30);

    /**
     * Connections the executor keeps open at once from addresses that have not presented its token lately: at least 1
     * (else the start is refused).
     */
    @Min(1)
    private int maxConnections = ExecutorHttpServer.DEFAULT_MAX_CONNECTIONS;
}
