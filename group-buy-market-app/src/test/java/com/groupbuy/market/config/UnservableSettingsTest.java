package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.config.outage.OutageProperties;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.trigger.job.JobConsole;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;
import org.springframework.validation.FieldError;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Settings that started an instance doing something else than written, each now refused at start naming the setting
 * and its bound (the failure analysis prints the property, its origin and the reason): {@code gbm.mq.declare-retry=0}
 * re-declared against a refusing broker on every delivery, a consumer's {@code prefetch=0} was silently 1, a {@code
 * gbm.outage.retry-after} under a second was silently 1 s; a lease shorter than one send was refused without naming
 * the settings behind it. On main every value below started (the lease: refused without a setting's name).
 * <p>
 * Then (failed on main, every case below started): threads, queues and consumers of 0 or less, which were silently one
 * ({@code gbm.notify.http-senders}) or stopped the start inside the JDK or Spring AMQP without naming the setting; a
 * notify page of 0, silently 1 (and no close check relayed); a breaker threshold of 0, silently 1, and an open time of
 * 0, a breaker that barely fails fast; a places interval of 0, a sweep of every open team at every timeout tick; a
 * start budget of 0, a start-up reconciliation that checked nothing and reported success.
 * <p>
 * {@code gbm.notify.local-takeover-after} is bound and validated with the other notify settings (it was read by
 * {@code @Value} and checked by hand in the local scheduler; failed on main: no such bound setting, nothing refused).
 * {@code gbm.outage.redis-resend-within} / {@code .redis-reconnect-wait} had no bounds: zero or less sent nothing
 * again after a Redis restart, a day held a partner's request that long (failed on main: every value started).
 * Then the callback client's idle connections, jitter, lanes, HTTP concurrency, the recorder's page and queue,
 * and the local schedulers' delays (0 stopped the start unnamed, a bare number of milliseconds polled the database
 * back to back): failed on main, each started or was refused without the setting's name. And Redisson's retries and
 * reconnect waits (zero reconnected back to back while Redis was down; failed on main: every value started). And the
 * callback guard's breaker and bulkhead (a bulkhead of 0 put every callback back unsent for ever; failed on main: each
 * started, or was refused by Resilience4j without the setting's name). And both consumers' attempts and pauses and the
 * close checks' bundles (a negative pause failed in the consumer at each failed attempt; failed on main). And the
 * group commits' batch, wait and writers and the tag rebuild's lease (zero: no claim Redis takes, no rebuild). And the
 * executor's registry interval (past 90 s the console dropped us between beats), now bound instead of read by name.
 * And the in-process caches' TTLs, {@code gbm.market.config-cache-ttl} and {@code gbm.tag.user-index-cache-ttl}, read
 * by {@code @Value} in the infrastructure module (zero cached nothing, a negative one failed inside Guava, 100 days kept
 * an old price that long; failed on main: every value started). And {@code gbm.notify.lease} past an hour (a dead
 * instance's callbacks waited that long) and a negative {@code gbm.notify.record-window} (failed inside the recorder
 * unnamed; failed on main: both started).
 */
class UnservableSettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Enable.class);

    @Test
    void theDefaultsAndTheBoundsThemselvesStart() {
        context.run(started -> assertThat(started).hasNotFailed());
        context.withPropertyValues(
                        "gbm.mq.declare-retry=1s",
                        "gbm.mq.refund-consumer.prefetch=1",
                        "gbm.close-check.prefetch=65535",
                        "gbm.outage.retry-after=1h",
                        "gbm.notify.http-senders=1",
                        "gbm.notify.dispatch-threads=1000",
                        "gbm.notify.dispatch-queue=1",
                        "gbm.notify.page-size=10000",
                        "gbm.notify.page-bytes=1GB",
                        "gbm.close-check.concurrency=1",
                        "gbm.mq.refund-consumer.concurrency=500",
                        "gbm.places.interval=1s",
                        "gbm.places.start-budget=10m",
                        "gbm.outage.breaker-threshold=1",
                        "gbm.outage.breaker-open-for=10m",
                        "gbm.notify.local-takeover-after=1s",
                        "gbm.outage.redis-resend-within=100ms",
                        "gbm.outage.redis-reconnect-wait=10s",
                        "gbm.notify.max-idle-connections=0",
                        "gbm.notify.jitter=0",
                        "gbm.notify.run-lanes=1",
                        "gbm.notify.http-concurrency=1000",
                        "gbm.notify.record-page=10000",
                        "gbm.notify.record-queue=1",
                        "gbm.notify.local-scheduler-delay=100ms",
                        "gbm.notify.retention.local-scheduler-delay=1d",
                        "gbm.timeout.local-scheduler-delay=10m",
                        "gbm.outage.redis-retry-attempts=0",
                        "gbm.outage.redis-retry-interval=10s",
                        "gbm.outage.redis-reconnect-first=10ms",
                        "gbm.outage.redis-reconnect-max=1m",
                        "gbm.notify.guard.failure-rate-threshold=100",
                        "gbm.notify.guard.slow-call-rate-threshold=0.5",
                        "gbm.notify.guard.slow-call-duration=100ms",
                        "gbm.notify.guard.window=1h",
                        "gbm.notify.guard.minimum-calls=1",
                        "gbm.notify.guard.open-for=1h",
                        "gbm.notify.guard.half-open-calls=1",
                        "gbm.notify.guard.max-concurrent-per-endpoint=10000",
                        "gbm.notify.guard.bulkhead-retry-after=100ms",
                        "gbm.close-check.bundle-spread=0s",
                        "gbm.close-check.bundle-max=1000",
                        "gbm.close-check.max-attempts=1",
                        "gbm.close-check.retry-delay=1m",
                        "gbm.close-check.early-wait=0s",
                        "gbm.close-check.recovery-interval=100ms",
                        "gbm.mq.refund-consumer.max-attempts=100",
                        "gbm.mq.refund-consumer.retry-delay=0s",
                        "gbm.lock.group-commit.max-batch=1",
                        "gbm.lock.group-commit.max-wait=1s",
                        "gbm.lock.group-commit.writers=2",
                        "gbm.settlement.group-commit.max-batch=1000",
                        "gbm.settlement.group-commit.max-wait=0s",
                        "gbm.tag.rebuild-lease=1m",
                        "gbm.xxl-job.registry-interval=1s",
                        "gbm.xxl-job.max-connections=1",
                        "gbm.market.config-cache-ttl=1s",
                        "gbm.tag.user-index-cache-ttl=1h",
                        "gbm.notify.lease=1h",
                        "gbm.notify.record-window=0s")
                .run(started -> assertThat(started).hasNotFailed());
        context.withPropertyValues(
                        "gbm.mq.declare-retry=1h",
                        "gbm.mq.refund-consumer.prefetch=65535",
                        "gbm.close-check.prefetch=1",
                        "gbm.outage.retry-after=1s",
                        "gbm.notify.http-senders=1000",
                        "gbm.notify.dispatch-threads=1",
                        "gbm.notify.dispatch-queue=1000000",
                        "gbm.notify.page-size=1",
                        "gbm.notify.page-bytes=64KB",
                        "gbm.close-check.concurrency=500",
                        "gbm.mq.refund-consumer.concurrency=1",
                        "gbm.places.interval=1d",
                        "gbm.places.start-budget=1s",
                        "gbm.outage.breaker-threshold=1000",
                        "gbm.outage.breaker-open-for=100ms",
                        "gbm.notify.local-takeover-after=24h",
                        "gbm.outage.redis-resend-within=10s",
                        "gbm.outage.redis-reconnect-wait=100ms",
                        "gbm.notify.max-idle-connections=10000",
                        "gbm.notify.jitter=0.99",
                        "gbm.notify.run-lanes=1000",
                        "gbm.notify.http-concurrency=1",
                        "gbm.notify.record-page=1",
                        "gbm.notify.record-queue=1000000",
                        "gbm.notify.local-scheduler-delay=10m",
                        "gbm.notify.retention.local-scheduler-delay=1m",
                        "gbm.timeout.local-scheduler-delay=100ms",
                        "gbm.outage.redis-retry-attempts=5",
                        "gbm.outage.redis-retry-interval=10ms",
                        "gbm.outage.redis-reconnect-first=10s",
                        "gbm.outage.redis-reconnect-max=10ms",
                        "gbm.notify.guard.failure-rate-threshold=0.5",
                        "gbm.notify.guard.slow-call-rate-threshold=100",
                        "gbm.notify.guard.slow-call-duration=10m",
                        "gbm.notify.guard.window=1s",
                        "gbm.notify.guard.minimum-calls=1000000",
                        "gbm.notify.guard.open-for=1s",
                        "gbm.notify.guard.half-open-calls=1000",
                        "gbm.notify.guard.max-concurrent-per-endpoint=1",
                        "gbm.notify.guard.bulkhead-retry-after=10m",
                        "gbm.close-check.bundle-spread=10s",
                        "gbm.close-check.bundle-max=1",
                        "gbm.close-check.max-attempts=100",
                        "gbm.close-check.retry-delay=0s",
                        "gbm.close-check.early-wait=1m",
                        "gbm.close-check.recovery-interval=5m",
                        "gbm.mq.refund-consumer.max-attempts=1",
                        "gbm.mq.refund-consumer.retry-delay=1m",
                        "gbm.lock.group-commit.max-batch=1000",
                        "gbm.lock.group-commit.max-wait=0s",
                        "gbm.lock.group-commit.writers=1",
                        "gbm.settlement.group-commit.max-batch=1",
                        "gbm.settlement.group-commit.max-wait=1s",
                        "gbm.tag.rebuild-lease=1d",
                        "gbm.xxl-job.registry-interval=60s",
                        "gbm.market.config-cache-ttl=1h",
                        "gbm.tag.user-index-cache-ttl=1s")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void valuesOutOfBoundsRefuseTheStartNamingTheSetting() {
        String[][] cases = {
            {"gbm.mq.declare-retry=0s", "longer than or equal to 1 second"},
            {"gbm.mq.declare-retry=10", "longer than or equal to 1 second"},
            {"gbm.mq.declare-retry=2h", "shorter than or equal to 1 hour"},
            {"gbm.mq.refund-consumer.prefetch=0", "greater than or equal to 1"},
            {"gbm.mq.refund-consumer.prefetch=65536", "less than or equal to 65535"},
            {"gbm.close-check.prefetch=0", "greater than or equal to 1"},
            {"gbm.close-check.prefetch=-1", "greater than or equal to 1"},
            {"gbm.outage.retry-after=-5s", "longer than or equal to 1 second"},
            {"gbm.outage.retry-after=5", "longer than or equal to 1 second"},
            {"gbm.outage.retry-after=999ms", "longer than or equal to 1 second"},
            {"gbm.outage.retry-after=2h", "shorter than or equal to 1 hour"},
            {"gbm.notify.http-senders=0", "greater than or equal to 1"},
            {"gbm.notify.http-senders=1001", "less than or equal to 1000"},
            {"gbm.notify.dispatch-threads=0", "greater than or equal to 1"},
            {"gbm.notify.dispatch-threads=-8", "greater than or equal to 1"},
            {"gbm.notify.dispatch-queue=0", "greater than or equal to 1"},
            {"gbm.notify.dispatch-queue=1000001", "less than or equal to 1000000"},
            {"gbm.notify.page-size=0", "greater than or equal to 1"},
            {"gbm.notify.page-size=10001", "less than or equal to 10000"},
            {"gbm.notify.page-bytes=65535", "64KB to 1GB (a bare number is bytes)"},
            {"gbm.notify.page-bytes=16", "64KB to 1GB (a bare number is bytes)"},
            {"gbm.notify.page-bytes=1025MB", "64KB to 1GB (a bare number is bytes)"},
            {"gbm.close-check.concurrency=0", "greater than or equal to 1"},
            {"gbm.close-check.concurrency=501", "less than or equal to 500"},
            {"gbm.mq.refund-consumer.concurrency=-1", "greater than or equal to 1"},
            {"gbm.places.interval=0s", "longer than or equal to 1 second"},
            {"gbm.places.interval=-10m", "longer than or equal to 1 second"},
            {"gbm.places.interval=2d", "shorter than or equal to 1 day"},
            {"gbm.places.start-budget=0s", "longer than or equal to 1 second"},
            {"gbm.places.start-budget=60", "longer than or equal to 1 second"},
            {"gbm.places.start-budget=11m", "shorter than or equal to 10 minutes"},
            {"gbm.outage.breaker-threshold=0", "greater than or equal to 1"},
            {"gbm.outage.breaker-threshold=1001", "less than or equal to 1000"},
            {"gbm.outage.breaker-open-for=0s", "longer than or equal to 100 millis"},
            {"gbm.outage.breaker-open-for=-2s", "longer than or equal to 100 millis"},
            {"gbm.outage.breaker-open-for=11m", "shorter than or equal to 10 minutes"},
            {"gbm.notify.local-takeover-after=-60s", "longer than or equal to 1 second"},
            {"gbm.notify.local-takeover-after=0s", "longer than or equal to 1 second"},
            {"gbm.notify.local-takeover-after=60", "longer than or equal to 1 second"},
            {"gbm.notify.local-takeover-after=25h", "shorter than or equal to 1 day"},
            {"gbm.outage.redis-resend-within=0s", "longer than or equal to 100 millis"},
            {"gbm.outage.redis-resend-within=-3s", "longer than or equal to 100 millis"},
            {"gbm.outage.redis-resend-within=3", "longer than or equal to 100 millis"},
            {"gbm.outage.redis-resend-within=11s", "shorter than or equal to 10 seconds"},
            {"gbm.outage.redis-resend-within=2d", "shorter than or equal to 10 seconds"},
            {"gbm.outage.redis-reconnect-wait=0s", "longer than or equal to 100 millis"},
            {"gbm.outage.redis-reconnect-wait=-1s", "longer than or equal to 100 millis"},
            {"gbm.outage.redis-reconnect-wait=99ms", "longer than or equal to 100 millis"},
            {"gbm.outage.redis-reconnect-wait=1d", "shorter than or equal to 10 seconds"},
            {"gbm.notify.max-idle-connections=-1", "greater than or equal to 0"},
            {"gbm.notify.max-idle-connections=10001", "less than or equal to 10000"},
            {"gbm.notify.jitter=-0.1", "greater than or equal to 0"},
            {"gbm.notify.jitter=1", "less than 1"},
            {"gbm.notify.run-lanes=0", "greater than or equal to 1"},
            {"gbm.notify.run-lanes=1001", "less than or equal to 1000"},
            {"gbm.notify.http-concurrency=0", "greater than or equal to 1"},
            {"gbm.notify.http-concurrency=1001", "less than or equal to 1000"},
            {"gbm.notify.record-page=0", "greater than or equal to 1"},
            {"gbm.notify.record-page=10001", "less than or equal to 10000"},
            {"gbm.notify.record-queue=0", "greater than or equal to 1"},
            {"gbm.notify.record-queue=1000001", "less than or equal to 1000000"},
            {"gbm.notify.local-scheduler-delay=0s", "longer than or equal to 100 millis"},
            {"gbm.notify.local-scheduler-delay=5", "longer than or equal to 100 millis"},
            {"gbm.notify.local-scheduler-delay=11m", "shorter than or equal to 10 minutes"},
            {"gbm.notify.retention.local-scheduler-delay=60", "longer than or equal to 1 minute"},
            {"gbm.notify.retention.local-scheduler-delay=2d", "shorter than or equal to 1 day"},
            {"gbm.timeout.local-scheduler-delay=0s", "longer than or equal to 100 millis"},
            {"gbm.timeout.local-scheduler-delay=10", "longer than or equal to 100 millis"},
            {"gbm.timeout.local-scheduler-delay=1h", "shorter than or equal to 10 minutes"},
            {"gbm.http.descriptor-reserve=-1", "greater than or equal to 0"},
            {"gbm.outage.redis-retry-attempts=-1", "greater than or equal to 0"},
            {"gbm.outage.redis-retry-attempts=6", "less than or equal to 5"},
            {"gbm.outage.redis-retry-interval=0s", "longer than or equal to 10 millis"},
            {"gbm.outage.redis-retry-interval=11s", "shorter than or equal to 10 seconds"},
            {"gbm.outage.redis-reconnect-first=-1s", "longer than or equal to 10 millis"},
            {"gbm.outage.redis-reconnect-first=1m", "shorter than or equal to 10 seconds"},
            {"gbm.outage.redis-reconnect-max=0s", "longer than or equal to 10 millis"},
            {"gbm.outage.redis-reconnect-max=2m", "shorter than or equal to 1 minute"},
            {"gbm.notify.guard.failure-rate-threshold=0", "greater than 0"},
            {"gbm.notify.guard.failure-rate-threshold=101", "less than or equal to 100"},
            {"gbm.notify.guard.slow-call-rate-threshold=-1", "greater than 0"},
            {"gbm.notify.guard.slow-call-duration=0s", "longer than or equal to 100 millis"},
            {"gbm.notify.guard.window=500ms", "longer than or equal to 1 second"},
            {"gbm.notify.guard.window=2h", "shorter than or equal to 1 hour"},
            {"gbm.notify.guard.minimum-calls=0", "greater than or equal to 1"},
            {"gbm.notify.guard.minimum-calls=1000001", "less than or equal to 1000000"},
            {"gbm.notify.guard.open-for=0s", "longer than or equal to 1 second"},
            {"gbm.notify.guard.half-open-calls=0", "greater than or equal to 1"},
            {"gbm.notify.guard.max-concurrent-per-endpoint=0", "greater than or equal to 1"},
            {"gbm.notify.guard.bulkhead-retry-after=0s", "longer than or equal to 100 millis"},
            {"gbm.close-check.bundle-spread=-1s", "zero or positive"},
            {"gbm.close-check.bundle-spread=1h", "shorter than or equal to 10 seconds"},
            {"gbm.close-check.bundle-max=0", "greater than or equal to 1"},
            {"gbm.close-check.bundle-max=1001", "less than or equal to 1000"},
            {"gbm.close-check.max-attempts=0", "greater than or equal to 1"},
            {"gbm.close-check.max-attempts=101", "less than or equal to 100"},
            {"gbm.close-check.retry-delay=-1s", "zero or positive"},
            {"gbm.close-check.retry-delay=2m", "shorter than or equal to 1 minute"},
            {"gbm.close-check.early-wait=-5s", "zero or positive"},
            {"gbm.close-check.early-wait=1h", "shorter than or equal to 1 minute"},
            {"gbm.close-check.recovery-interval=50ms", "at least 100 ms"},
            {"gbm.close-check.recovery-interval=6m", "shorter than or equal to 5 minutes"},
            {"gbm.mq.refund-consumer.max-attempts=0", "greater than or equal to 1"},
            {"gbm.mq.refund-consumer.retry-delay=-1s", "zero or positive"},
            {"gbm.mq.refund-consumer.retry-delay=1h", "shorter than or equal to 1 minute"},
            {"gbm.lock.group-commit.max-batch=0", "greater than or equal to 1"},
            {"gbm.lock.group-commit.max-batch=5000", "less than or equal to 1000"},
            {"gbm.lock.group-commit.max-wait=-1ms", "zero or positive"},
            {"gbm.lock.group-commit.max-wait=1m", "shorter than or equal to 1 second"},
            {"gbm.lock.group-commit.writers=0", "greater than or equal to 1"},
            {"gbm.lock.group-commit.writers=3", "less than or equal to 2"},
            {"gbm.settlement.group-commit.max-batch=0", "greater than or equal to 1"},
            {"gbm.settlement.group-commit.max-wait=2s", "shorter than or equal to 1 second"},
            {"gbm.tag.rebuild-lease=0s", "longer than or equal to 1 minute"},
            {"gbm.tag.rebuild-lease=10", "longer than or equal to 1 minute"},
            {"gbm.tag.rebuild-lease=2d", "shorter than or equal to 1 day"},
            {"gbm.xxl-job.registry-interval=0s", "longer than or equal to 1 second"},
            {"gbm.xxl-job.registry-interval=30", "longer than or equal to 1 second"},
            {"gbm.xxl-job.registry-interval=2m", "shorter than or equal to 60 seconds"},
            {"gbm.xxl-job.max-connections=0", "greater than or equal to 1"},
            {"gbm.market.config-cache-ttl=0s", "longer than or equal to 1 second"},
            {"gbm.market.config-cache-ttl=-30s", "longer than or equal to 1 second"},
            {"gbm.market.config-cache-ttl=30", "longer than or equal to 1 second"},
            {"gbm.market.config-cache-ttl=2h", "shorter than or equal to 1 hour"},
            {"gbm.market.config-cache-ttl=100d", "shorter than or equal to 1 hour"},
            {"gbm.tag.user-index-cache-ttl=0s", "longer than or equal to 1 second"},
            {"gbm.tag.user-index-cache-ttl=-1s", "longer than or equal to 1 second"},
            {"gbm.tag.user-index-cache-ttl=30", "longer than or equal to 1 second"},
            {"gbm.tag.user-index-cache-ttl=100d", "shorter than or equal to 1 hour"},
            {"gbm.notify.lease=2h", "shorter than or equal to 1 hour"},
            {"gbm.notify.lease=100d", "shorter than or equal to 1 hour"},
            {"gbm.notify.record-window=-1ms", "zero or positive"},
            {"gbm.notify.record-window=601ms", "at most a hundredth of gbm.notify.lease (PT0.6S)"},
            {"gbm.notify.record-window=1s", "at most a hundredth of gbm.notify.lease (PT0.6S)"}
        };
        // Every case is tried and every one the start does not refuse so is reported, not only the first.
        Map<String, List<String>> expected = new LinkedHashMap<>();
        Map<String, List<String>> refusals = new LinkedHashMap<>();
        for (String[] refused : cases) {
            expected.put(refused[0], List.of(refused[0].split("=")[0] + ": must be " + refused[1]));
            refusals.put(refused[0], refusalsAtStart(refused[0]));
        }
        assertThat(refusals).isEqualTo(expected);
    }

    @Test
    void aLeaseShorterThanOneSendRefusesTheStartNamingTheSettings() {
        NotifyProperties notify = new NotifyProperties();
        notify.setLease(Duration.ofSeconds(10));
        assertThatThrownBy(() -> deliveryService(notify, Duration.ZERO))
                .hasMessageContaining("gbm.notify.lease must be at least one HTTP callback's whole call,"
                        + " gbm.notify.connect-timeout + 2 x gbm.notify.read-timeout (PT12S), got PT10S");

        notify.setConnectTimeout(Duration.ofSeconds(1));
        notify.setReadTimeout(Duration.ofSeconds(2));
        notify.setLease(Duration.ofSeconds(6));
        assertThatThrownBy(() -> deliveryService(notify, Duration.ofSeconds(2)))
                .hasMessageContaining("gbm.notify.lease must be at least one MQ batch's window,"
                        + " gbm.mq.confirm-timeout + spring.rabbitmq.connection-timeout"
                        + " + spring.rabbitmq.channel-rpc-timeout (PT7S), got PT6S");
    }

    /**
     * A publish may wait for a channel to open, up to the channel RPC timeout, before its batch's confirms: a lease
     * shorter than confirm + connect + channel open lets another instance take a batch still being sent (a second
     * callback). On main the channel open was left out: a 7 s lease under a 12 s batch started.
     */
    @Test
    void aLeaseShorterThanAnMqBatchWithItsChannelOpenRefusesTheStart() {
        NotifyProperties notify = new NotifyProperties();
        notify.setConnectTimeout(Duration.ofSeconds(1));
        notify.setReadTimeout(Duration.ofSeconds(2));
        notify.setLease(Duration.ofSeconds(7));
        assertThatThrownBy(() -> deliveryService(notify, Duration.ofSeconds(2), Duration.ofSeconds(5)))
                .hasMessageContaining("gbm.notify.lease must be at least one MQ batch's window,"
                        + " gbm.mq.confirm-timeout + spring.rabbitmq.connection-timeout"
                        + " + spring.rabbitmq.channel-rpc-timeout (PT12S), got PT7S");
        notify.setLease(Duration.ofSeconds(12));
        deliveryService(notify, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /**
     * {@code gbm.notify.record-window} is at most a hundredth of the lease while outcomes are recorded together, refused
     * as a bound naming the setting (it was a hand check in NotifyConfig, outside the binding: failed on main, every
     * window below bound), and free when nothing is recorded together, as before.
     */
    @Test
    void theRecordWindowIsAtMostAHundredthOfTheLeaseWhileRecordedTogether() {
        assertThat(refusalsOf(binder("gbm.notify.lease", "10s", "gbm.notify.record-window", "100ms")))
                .isEmpty();
        assertThat(refusalsOf(binder("gbm.notify.lease", "10s", "gbm.notify.record-window", "101ms")))
                .containsExactly("gbm.notify.record-window: must be at most a hundredth of gbm.notify.lease (PT0.1S)");
        assertThat(refusalsOf(binder(
                        "gbm.notify.lease", "10s",
                        "gbm.notify.record-window", "5s",
                        "gbm.notify.record-together", "false")))
                .isEmpty();
    }

    private static Binder binder(String... settings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(values));
    }

    /**
     * Every profile's own values are inside the bounds: the test profile's {@code gbm.notify.guard.minimum-calls} of
     * 100,000 was refused by a first, tighter bound, and every IT's context with it.
     */
    @Test
    void everyProfilesSettingsAreInsideTheBounds() throws Exception {
        Map<String, List<String>> refusals = new LinkedHashMap<>();
        for (String profile : new String[] {"default", "dev", "prod", "test"}) {
            MutablePropertySources sources = new MutablePropertySources();
            for (String file : new String[] {"application-" + profile + ".yml", "application.yml"}) {
                new YamlPropertySourceLoader()
                        .load(file, new ClassPathResource(file))
                        .forEach(sources::addLast);
            }
            Binder binder = new Binder(
                    ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
            refusals.put(profile, refusalsOf(binder));
        }
        assertThat(refusals)
                .isEqualTo(Map.of("default", List.of(), "dev", List.of(), "prod", List.of(), "test", List.of()));
    }

    /**
     * The local scheduler is given the bound {@code gbm.notify.local-takeover-after}: it read its own placeholder and
     * checked it by hand, beside the other settings bound and checked together.
     */
    @Test
    void theLocalSchedulerTakesOverAfterTheBoundSetting() {
        NotifyProperties notify = new NotifyProperties();
        assertThat(notify.getLocalTakeoverAfter()).isEqualTo(Duration.ofSeconds(60));
        notify.setLocalTakeoverAfter(Duration.ofSeconds(7));
        assertThat(new NotifyConfig()
                        .localNotifyScheduler(
                                null,
                                new StaticListableBeanFactory().getBeanProvider(JobConsole.class),
                                null,
                                Clock.systemUTC(),
                                notify,
                                failure -> null))
                .extracting("takeoverAfter")
                .isEqualTo(Duration.ofSeconds(7));
    }

    private static void deliveryService(NotifyProperties notify, Duration brokerConnect) {
        deliveryService(notify, brokerConnect, null);
    }

    private static void deliveryService(NotifyProperties notify, Duration brokerConnect, Duration channelOpen) {
        RabbitProperties rabbit = new RabbitProperties();
        rabbit.setConnectionTimeout(brokerConnect);
        rabbit.setChannelRpcTimeout(channelOpen);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("rabbit", rabbit);
        var executor = Executors.newSingleThreadExecutor();
        try {
            new NotifyConfig()
                    .dueCallbackDeliveryService(
                            null,
                            null,
                            notify,
                            new MqProperties(),
                            beans.getBeanProvider(RabbitProperties.class),
                            Clock.systemUTC(),
                            executor,
                            new RunStop());
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * What the start's binding refuses for one setting: each properties class bound and validated as the start binds
     * it. Binding itself, not a context per case: each context built Hibernate Validator anew, 0.2 s a case.
     */
    private static List<String> refusalsAtStart(String setting) {
        String[] pair = setting.split("=", 2);
        return refusalsOf(new Binder(new MapConfigurationPropertySource(Map.of(pair[0], pair[1]))));
    }

    private static List<String> refusalsOf(Binder binder) {
        List<String> refusals = new ArrayList<>();
        for (Class<?> type :
                Enable.class.getAnnotation(EnableConfigurationProperties.class).value()) {
            String prefix = type.getAnnotation(ConfigurationProperties.class).prefix();
            try {
                binder.bind(prefix, Bindable.of(type), new ValidationBindHandler(VALIDATOR));
            } catch (BindException e) {
                List<String> invalid = refusals(e);
                // A value that does not even convert is a refusal too, not a silent pass.
                refusals.addAll(invalid.isEmpty() ? List.of(String.valueOf(e.getCause())) : invalid);
            }
        }
        return refusals;
    }

    private static final LocalValidatorFactoryBean VALIDATOR = validator();

    private static LocalValidatorFactoryBean validator() {
        LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
        validator.afterPropertiesSet();
        return validator;
    }

    /** "property: reason" of each field refused, as the start's failure analysis names them. */
    private static List<String> refusals(Throwable failure) {
        List<String> refusals = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindValidationException invalid) {
                invalid.getValidationErrors()
                        .forEach(error ->
                                refusals.add(invalid.getValidationErrors().getName() + "."
                                        + kebab(((FieldError) error).getField()) + ": " + error.getDefaultMessage()));
            }
        }
        return refusals;
    }

    private static String kebab(String field) {
        return field.replaceAll("([A-Z])", "-$1").toLowerCase();
    }

    @EnableConfigurationProperties({
        MqProperties.class,
        RefundConsumerProperties.class,
        CloseCheckProperties.class,
        OutageProperties.class,
        NotifyProperties.class,
        PlaceReconcileProperties.class,
        TimeoutProperties.class,
        NotifyGuardProperties.class,
        LockGroupCommitProperties.class,
        SettlementGroupCommitProperties.class,
        CrowdTagProperties.class,
        XxlJobExecutorProperties.class,
        MarketConfigLoadProperties.class,
        HttpDescriptorProperties.class
    })
    static class Enable {}
}
