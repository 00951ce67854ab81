package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gbm.http.body-read-timeout}: how long a request's body may take to arrive once its headers have, and
 * {@code gbm.http.answer-write-timeout}: how long an answer may take to be read (see
 * {@link BodyDeadlineConfig}). Partners' bodies are a few hundred bytes; the bound is for callers that trickle theirs.
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.http")
public class HttpBodyProperties {

    /** 100 ms to 5 min; outside that the service refuses to start. */
    private Duration bodyReadTimeout = Duration.ofSeconds(10);

    /**
     * How long an answer may take to be read by its caller once its first byte is written, 100 ms to 5 min (see
     * {@link BodyDeadlineConfig}). Partners' answers are a few hundred bytes; the bound is for callers that read
     * large ones a little at a time.
     */
    private Duration answerWriteTimeout = Duration.ofSeconds(30);
}
