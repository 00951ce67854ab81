package com.groupbuy.market.config;

import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The delay path of timeout closing ({@code gbm.close-check.*}, #15): each lock writes a delayed close check that our
 * own consumer receives at the lock's deadline. Runs only while {@code gbm.mq.enabled} is true too; off, the polling
 * job closes on time by itself.
 */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.close-check")
public class CloseCheckProperties {

    private boolean enabled = true;
    /** Our durable queue of checks whose time has come (the delay lanes' dead-letter target). */
    private String queue = "group_buy_market_queue_close_check";
    /** Durable queue where malformed checks or checks out of attempts are copied, with the reason in a header. */
    private String deadLetterQueue = "group_buy_market_queue_close_check.dead";
    /** Delay lanes are named this prefix + the nominal delay in whole seconds + "s". */
    private String lanePrefix = "group_buy_market_close_check.delay.";
    /** AUTO reads the broker's product from the connection; RABBITMQ or QPID force one (see CloseCheckTopology). */
    private CloseCheckTopology.Flavour brokerFlavour = CloseCheckTopology.Flavour.AUTO;
    /**
     * While the delay path is on, the polling job takes only locks and teams overdue by more than this: it is the
     * backstop for checks the broker lost or never got, and what it still finds is logged as "found late".
     */
    private Duration backstopMargin = Duration.ofSeconds(30);
    /**
     * How long after its unpaid timeout a lock of a partner is still left open for the partner's settlement of a
     * payment made at the last moment: by source, then channel. Unnamed partners get {@link #defaultPaymentGrace}.
     */
    private Map<String, Map<String, Duration>> paymentGrace = new LinkedHashMap<>();
    /** Zero: close at the timeout, as the polling job always did. */
    private Duration defaultPaymentGrace = Duration.ZERO;
    /**
     * Checks of one relay page bound for the same delay lane whose deadlines lie within this of the first go out as one
     * message (a bundle, #19), expiring at the latest deadline among them: a check is never closed before its
     * deadline, and at most this much after it on the bundle's account. Zero: one message per check. Per check,
     * RabbitMQ's CPU is mostly the message's (persisted, confirmed): docs/benchmarks.md, branch mqcost. 0 to 10 s
     * (else the start is refused): a negative one was refused without the setting's name, and every check of a bundle
     * may be this late, an unpaid lock holding its team's place that much longer.
     */
    @DurationMin(millis = 0, message = "must be zero or positive")
    @DurationMax(seconds = 10)
    private Duration bundleSpread = Duration.ofMillis(250);
    /**
     * At most this many checks in one bundle (1: one message per check). One consumer closes a bundle's checks one
     * after another, so this bounds how long the last waits behind the others; 16 keeps most of the broker's saving
     * (docs/benchmarks.md, branch mqcost: bundles of 8 cost RabbitMQ a tenth per check, of 32 a thirtieth). 1 to 1,000
     * (else the start is refused; under 1 was refused without the setting's name).
     */
    @Min(1)
    @Max(CloseCheckVO.BUNDLE_MAX_CHECKS)
    private int bundleMax = 16;
    /**
     * Attempts per message (counted in its consumption record) before it is dead-lettered: 1 to 100 (else the start is
     * refused; under 1 was refused without the setting's name, and a huge number redelivered a failing check for ever).
     */
    @Min(1)
    @Max(100)
    private int maxAttempts = 3;
    /**
     * Pause before a failed attempt's message is handed back to the broker: 0 to 1 min (else the start is refused). A
     * negative one failed in the consumer at every failed attempt; the consumer's thread sleeps it, so past a minute
     * one failing check stalled its consumer's others that long.
     */
    @DurationMin(millis = 0, message = "must be zero or positive")
    @DurationMax(minutes = 1)
    private Duration retryDelay = Duration.ofSeconds(1);
    /**
     * A check that arrives this much before its time at most waits for it (a broker clock ahead of ours): 0 to 1 min
     * (else the start is refused); the consumer's thread sleeps it.
     */
    @DurationMin(millis = 0, message = "must be zero or positive")
    @DurationMax(minutes = 1)
    private Duration earlyWait = Duration.ofSeconds(5);
    /**
     * Checks each consumer holds unacknowledged; small, so that a burst of checks coming due together is spread over
     * all the consumers instead of queueing behind the first ones. 1 to 65,535 (else the start is refused): 0 is not
     * AMQP's "unlimited" here, Spring's container silently took 1 for it (and for less); over AMQP's 65,535 the client
     * silently set 65,535.
     */
    @Min(1)
    @Max(65_535)
    private int prefetch = 10;
    /**
     * Consumers of the close-check queue. A close is a short refund transaction plus its record, mostly waiting for
     * the database's commits: more consumers close a burst faster (commits grouped) until the connection pool (20
     * by default, shared with requests and the callback pool) is the limit. 16, not 8: with 8, every consumer was busy
     * while a backlog of due checks stood (docs/benchmarks.md #15, runs 2026-12-01 11:07-11:09): p99 1.95 s against 0.24-0.61 s
     * with 16 in the same close_check.sh run beside each other. 1 to 500 ({@link MqProperties#MAX_CONSUMERS}).
     */
    @Min(1)
    @Max(MqProperties.MAX_CONSUMERS)
    private int concurrency = 16;
    /**
     * How long a close-check consumer that lost its connection (or its queue) waits before it tries again: Spring's
     * recovery interval, whose 5 s it keeps by default. While the broker is away every consumer tries once per
     * interval, so a check published as the broker comes back waits up to this long for a consumer. 100 ms to 5 min
     * (else the start is refused).
     */
    @DurationMin(millis = 100, message = "must be at least 100 ms")
    @DurationMax(minutes = 5)
    private Duration recoveryInterval = Duration.ofSeconds(5);
}
