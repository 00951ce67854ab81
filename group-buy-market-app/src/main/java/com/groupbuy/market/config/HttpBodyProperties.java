package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gbm.http.body-read-timeout}: how long a request's body may take to arrive once its headers have (see
 * {@link BodyDeadlineConfig}). Partners' bodies are a few hundred bytes; the bound is for callers that trickle theirs.
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.http")
public class HttpBodyProperties {

    /** 100 ms to 5 min; outside that the service refuses to start. */
    private Duration bodyReadTimeout = Duration.ofSeconds(10);
}
