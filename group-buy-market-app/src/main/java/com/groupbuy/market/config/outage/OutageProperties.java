package com.groupbuy.market.config.outage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** How we behave while Redis or the database is down ({@code gbm.outage.*}). */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.outage")
public class OutageProperties {

    /**
     * Failures in a row that open a dependency's breaker: 1 to 1,000 (else the start is refused). 0 or less was
     * silently 1; a thousand failures in a row, each waiting out its timeout, is already a breaker that never opens.
     */
    @Min(1)
    @Max(1_000)
    private int breakerThreshold = 3;
    /**
     * How long an open breaker fails calls at once before letting one probe through: 100 ms to 10 min (else the start
     * is refused). 0 or less let a probe through at once, so only calls made while it ran failed fast and every other
     * call waited out its timeout as with no breaker; a bare number is milliseconds ({@code 2} = 2 ms). Over 10 min
     * one blip would refuse every trade that long after the dependency was back.
     */
    @DurationMin(millis = 100)
    @DurationMax(minutes = 10)
    private Duration breakerOpenFor = Duration.ofSeconds(2);
    /**
     * The Retry-After of an E0401 answer, in whole seconds: 1 s to 1 h (else the start is refused). Less was silently
     * answered as 1 s (a bare number is milliseconds: {@code 5} was 5 ms, not 5 s).
     */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 1)
    private Duration retryAfter = Duration.ofSeconds(5);
    /**
     * Redisson: extra attempts of a command that found no connection, and the wait between them. Attempts 0 to 5 (else
     * the start is refused): a negative number stopped the start inside Redisson without naming the setting, and each
     * attempt may wait out the command timeout (1 s) first — Redisson's three were nine seconds before an E0401.
     */
    @Min(0)
    @Max(5)
    private int redisRetryAttempts = 1;

    /**
     * 10 ms to 10 s (else the start is refused): zero or less retried at once into the same missing connection (a bare
     * {@code 200} is 200 ms, fine; a bare {@code 2} meant 2 ms), and every retry holds its caller that long.
     */
    @DurationMin(millis = 10)
    @DurationMax(seconds = 10)
    private Duration redisRetryInterval = Duration.ofMillis(200);

    /**
     * Redisson: how soon a pooled connection the server closed tries to connect again, doubling from the first to the
     * max (with jitter) while it is refused. Redisson's default grows to 10 s and reconnects two connections of a node
     * at a time, the rest queued behind them: after a longer outage the whole pool stayed dead for up to 10 s while
     * Redis answered again. Two connect attempts per half second while Redis is down cost nothing. The first 10 ms to
     * 10 s and the max 10 ms to 1 min (else the start is refused): zero or less reconnected back to back while Redis
     * was down, a connect attempt (and its log line) per pooled connection in a tight loop; past a minute the pool
     * stayed dead that long after Redis answered again.
     */
    @DurationMin(millis = 10)
    @DurationMax(seconds = 10)
    private Duration redisReconnectFirst = Duration.ofMillis(100);

    @DurationMin(millis = 10)
    @DurationMax(minutes = 1)
    private Duration redisReconnectMax = Duration.ofMillis(500);

    /**
     * How long a command that could not be written into a pooled connection (closed by a Redis that has restarted
     * since) is sent again, while every Redis node takes connections again. {@code RedisOutages} is built from these
     * two (OutageConfig): it read them with placeholders of its own, a second reading with defaults of its own.
     * 100 ms to 10 s (else the start is refused): zero or less sent nothing again, so after a restart every stale
     * connection was an E0401 counted against the breaker, and under 100 ms (a bare number is milliseconds: {@code 3}
     * was 3 ms) none is reconnected in time (Redisson's first reconnect is 100 ms after the drop); each call sent again
     * holds its partner's request and a web thread, so past 10 s (a restart's pool is back within a second or two)
     * the partner has given up long before.
     */
    @DurationMin(millis = 100)
    @DurationMax(seconds = 10)
    private Duration redisResendWithin = Duration.ofSeconds(3);
    /**
     * How long such a call waits for a node that dropped our connections to take them again (at most the above; a
     * restart is back within a few hundred ms). 100 ms to 10 s (else the start is refused): under Redisson's first
     * reconnect (100 ms) no node is ever back in time, so a restart's calls were E0401 as before; in a real outage
     * each first caller waits this long before its E0401, a web thread held per call.
     */
    @DurationMin(millis = 100)
    @DurationMax(seconds = 10)
    private Duration redisReconnectWait = Duration.ofSeconds(1);

    /**
     * How long the {@code db} health component stays OUT_OF_SERVICE after a write refused for want of disk space
     * (1114, 1021, errno 28) when that statement does not write again first ({@link SpaceRefusals}): 1 s to 10 min
     * (else the start is refused). Past it the component reads UP again even with no write to show the space is back
     * (a load balancer that took every instance out sends none); a disk still full is then refused and held again.
     */
    @DurationMin(seconds = 1)
    @DurationMax(minutes = 10)
    private Duration diskFullHealthFor = Duration.ofSeconds(30);
}
