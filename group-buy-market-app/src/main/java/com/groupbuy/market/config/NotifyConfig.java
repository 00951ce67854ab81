package com.groupbuy.market.config;

import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyBacklogRepository;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRetention;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.SendBudget;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyBackoff;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRetention;
import com.groupbuy.market.infrastructure.gateway.GroupBuyNotifyService;
import com.groupbuy.market.infrastructure.gateway.NotifyAttemptRecorder;
import com.groupbuy.market.infrastructure.gateway.NotifyChannelRouter;
import com.groupbuy.market.infrastructure.gateway.NotifyDispatcher;
import com.groupbuy.market.infrastructure.gateway.PublicOnlyDns;
import com.groupbuy.market.infrastructure.gateway.PublicOnlySocketFactory;
import com.groupbuy.market.trigger.job.JobConsole;
import com.groupbuy.market.trigger.job.LocalNotifyScheduler;
import com.groupbuy.market.trigger.job.OutageOf;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import lombok.extern.slf4j.Slf4j;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The callback pipeline: one OkHttp client, the gateway, the delivery service and its after-commit pool. */
@Slf4j
@Configuration
public class NotifyConfig {

    /**
     * The largest callback body the service writes: a team's completion lists every member's trade number, 40 bytes
     * plus at most 99 per member, and a team has at most {@link ActivityVO#MAX_TARGET} members (V17's migration).
     */
    static final long LARGEST_CALLBACK_BODY = 40 + 99L * ActivityVO.MAX_TARGET;

    /** Close checks queued for the relay beyond this are left to the compensation job (about 10 s of locks). */
    static final int CLOSE_CHECK_RELAY_BOUND = 20_000;

    @Bean(destroyMethod = "")
    public OkHttpClient notifyHttpClient(NotifyProperties properties, NotifyUrlPolicy policy) {
        properties.checkHttpTimeouts();
        return new OkHttpClient.Builder()
                .connectTimeout(properties.getConnectTimeout())
                .readTimeout(properties.getReadTimeout())
                .writeTimeout(properties.getReadTimeout())
                // The whole call, so one send never outlasts the window the run sized its leases by.
                .callTimeout(properties.sendWindow())
                .connectionPool(new ConnectionPool(properties.getMaxIdleConnections(), 5, TimeUnit.MINUTES))
                .followRedirects(false)
                .followSslRedirects(false)
                // A keep-alive connection the partner's server closed while it sat in the pool (Node.js and Apache
                // close one idle for 5 s; the pool keeps it 5 min and reuses one idle under 10 s unchecked) fails the
                // next callback with "unexpected end of stream" before the partner saw it: without a retry on a fresh
                // connection that was a try of the schedule used and the callback a backoff step late. A retry may
                // send a callback the partner did receive a second time (it deduplicates by webhook-id); the call
                // timeout still bounds the whole send, retries included, and an answer that timed out is not asked
                // again.
                .retryOnConnectionFailure(true)
                // Direct, whatever the JVM's proxy settings say: through a proxy the socket would reach the proxy and
                // the partner's host would be resolved there, past the public-address check on both below.
                .proxy(Proxy.NO_PROXY)
                .dns(new PublicOnlyDns(policy, properties.getConnectTimeout()))
                .socketFactory(new PublicOnlySocketFactory(policy))
                .build();
    }

    @Bean
    public GroupBuyNotifyService groupBuyNotifyService(
            OkHttpClient notifyHttpClient, NotifyProperties properties, Clock clock) {
        SendBudget budget = properties.sendBudget();
        warnIfLeaseCapsTheLargestBody(budget);
        return new GroupBuyNotifyService(notifyHttpClient, properties::secretOf, clock, budget);
    }

    /**
     * Said at start when the lease leaves a team's largest completion less than its budget at the minimum send rate:
     * such a callback is still sent (within the lease), but a partner link at that rate cannot take it whole.
     */
    static boolean warnIfLeaseCapsTheLargestBody(SendBudget budget) {
        if (!budget.capped(LARGEST_CALLBACK_BODY)) {
            return false;
        }
        log.warn(
                "gbm.notify.lease leaves an HTTP callback {} of the {} its largest body ({} bytes, a team of {}) needs at"
                        + " gbm.notify.min-send-rate ({} B/s): bodies above {} bytes reach only a faster partner link"
                        + " (a lease of {} or more serves them)",
                budget.cap(),
                budget.needed(LARGEST_CALLBACK_BODY),
                LARGEST_CALLBACK_BODY,
                ActivityVO.MAX_TARGET,
                budget.minBytesPerSecond(),
                budget.largestBodyBytes(),
                budget.needed(LARGEST_CALLBACK_BODY).plus(budget.base()));
        return true;
    }

    @Bean
    public DueCallbackDeliveryService dueCallbackDeliveryService(
            INotifyTaskStore store,
            NotifyChannelRouter gateway,
            NotifyProperties properties,
            MqProperties mq,
            ObjectProvider<RabbitProperties> rabbit,
            Clock clock,
            ExecutorService notifyRunExecutor,
            RunStop runStop) {
        NotifyBackoff backoff = new NotifyBackoff(
                properties.getBackoff(),
                properties.getJitter(),
                () -> ThreadLocalRandom.current().nextDouble());
        String worker = workerName(
                ManagementFactory.getRuntimeMXBean().getName(),
                UUID.randomUUID().toString().substring(0, 8));
        // An MQ batch ends within the confirm timeout counted from its start, but a publish begun just before that may
        // first have to open a connection, then a channel (channel.open waits up to the channel RPC timeout while a
        // blocked broker does not read us): the batch is leased for all three.
        RabbitProperties broker = rabbit.getIfAvailable();
        Duration connect =
                broker == null || broker.getConnectionTimeout() == null ? Duration.ZERO : broker.getConnectionTimeout();
        Duration channelOpen =
                broker == null || broker.getChannelRpcTimeout() == null ? Duration.ZERO : broker.getChannelRpcTimeout();
        Duration batchWindow = checkLeaseFitsASend(properties, mq.getConfirmTimeout(), connect, channelOpen);
        DeliverySettings settings = DeliverySettings.builder(
                        properties.getLease(), properties.getPageSize(), properties.getRunBudget())
                .sendWindow(properties.sendWindow())
                .batchWindow(batchWindow)
                .lanes(properties.getRunLanes())
                // #17: a callback the endpoint's breaker or bulkhead did not send waits without using a try.
                .deferUnsent()
                // #19: a page's HTTP callbacks several at once (EndpointQueues), so a lease takes more of them.
                .httpConcurrency(properties.getHttpConcurrency())
                // A big body's send starts only while its own budget (the gateway's bound of its call) fits the lease.
                .sendBudget(properties.sendBudget())
                .build();
        // A stop ends a run after the sends in flight (RunStopConfig).
        return new DueCallbackDeliveryService(
                store, gateway, backoff, clock, worker, settings, notifyRunExecutor, runStop);
    }

    /**
     * Callback retries every {@code gbm.notify.local-scheduler-delay} while no console drives us, or while one leaves
     * a callback due past {@code gbm.notify.local-takeover-after} (bound and checked with the other settings).
     */
    @Bean
    @ConditionalOnProperty(
            prefix = "gbm.notify",
            name = "local-scheduler-enabled",
            havingValue = "true",
            matchIfMissing = true)
    public LocalNotifyScheduler localNotifyScheduler(
            DueCallbackDeliveryService notifyService,
            ObjectProvider<JobConsole> console,
            INotifyBacklogRepository backlog,
            Clock clock,
            NotifyProperties properties,
            OutageOf outageOf) {
        return new LocalNotifyScheduler(
                notifyService, console, backlog, clock, properties.getLocalTakeoverAfter(), outageOf);
    }

    /**
     * A task is leased for one send at least, else another instance may take it while it is still being sent (the
     * delivery service refuses such a lease, without naming the settings that make it): the lease must cover one HTTP
     * callback's whole call and one MQ batch's confirm plus a first connect and channel open. Returns that batch
     * window.
     */
    static Duration checkLeaseFitsASend(
            NotifyProperties properties, Duration confirmTimeout, Duration brokerConnect, Duration channelOpen) {
        Duration lease = properties.getLease();
        if (lease == null || lease.compareTo(properties.sendWindow()) < 0) {
            throw new IllegalStateException("gbm.notify.lease must be at least one HTTP callback's whole call,"
                    + " gbm.notify.connect-timeout + 2 x gbm.notify.read-timeout (" + properties.sendWindow()
                    + "), got " + lease);
        }
        Duration batchWindow = confirmTimeout.plus(brokerConnect).plus(channelOpen);
        if (lease.compareTo(batchWindow) < 0) {
            throw new IllegalStateException("gbm.notify.lease must be at least one MQ batch's window,"
                    + " gbm.mq.confirm-timeout + spring.rabbitmq.connection-timeout"
                    + " + spring.rabbitmq.channel-rpc-timeout (" + batchWindow + "), got " + lease);
        }
        return batchWindow;
    }

    /**
     * {@code pid@hostname/suffix}, at most 64 characters ({@code notify_task.claimed_by}): a long host name is cut, the
     * suffix that tells this service's instances apart is kept. Tasks written already leased (a completing settlement's
     * callback, close checks) carry it too, and no outbox insert lets a value too long for its column pass (none is an
     * INSERT IGNORE): a longer name failed every write of a leased task.
     */
    static String workerName(String jvm, String suffix) {
        int room = 64 - suffix.length() - 1;
        return (jvm.length() <= room ? jvm : jvm.substring(0, room)) + "/" + suffix;
    }

    @Bean
    public NotifyRetentionService notifyRetentionService(
            INotifyTaskRetention retention,
            IConsumptionRecordRetention consumptionRecords,
            NotifyProperties properties,
            Clock clock,
            RunStop runStop) {
        NotifyProperties.Retention settings = properties.getRetention();
        return new NotifyRetentionService(
                retention,
                consumptionRecords::deleteSucceededBefore,
                clock,
                settings.getAge(),
                settings.getBatchSize(),
                settings.getRunBudget(),
                runStop);
    }

    /**
     * The lanes of compensation runs. Unbounded queue on purpose: a run queues at most its lanes and waits for
     * them, so the queue is bounded by runs in progress, and a rejected lane would abandon leased tasks.
     */
    @Bean(destroyMethod = "shutdown")
    public ExecutorService notifyRunExecutor(NotifyProperties properties) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(
                properties.getRunLanes(),
                properties.getRunLanes(),
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> new Thread(r, "notify-run-" + n.incrementAndGet()));
    }

    /**
     * #19: the threads EndpointQueues sends a page's HTTP callbacks on. Unbounded queue on purpose: a send queued here is
     * already one of at most the bulkhead's size per endpoint, and a rejected send would leave its lane waiting.
     */
    @Bean(destroyMethod = "shutdown")
    public ExecutorService notifySendExecutor(NotifyProperties properties) {
        AtomicInteger n = new AtomicInteger();
        int threads = properties.getHttpSenders();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> new Thread(r, "notify-send-" + n.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Bean(destroyMethod = "shutdown")
    public ExecutorService notifyDispatchExecutor(NotifyProperties properties) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(
                properties.getDispatchThreads(),
                properties.getDispatchThreads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(properties.getDispatchQueue()),
                r -> new Thread(r, "notify-dispatch-" + n.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * On stop, the two pools above finish what they hold (up to one send's longest call) before the recorder writes
     * its last page: their work is leased to this instance ({@link AfterCommitDeliveryStop}).
     */
    @Bean
    public AfterCommitDeliveryStop afterCommitDeliveryStop(
            ExecutorService notifyDispatchExecutor,
            ExecutorService closeCheckRelayExecutor,
            NotifyProperties properties) {
        return new AfterCommitDeliveryStop(
                List.of(notifyDispatchExecutor, closeCheckRelayExecutor),
                properties.sendBudget().cap());
    }

    /** One thread that publishes the close checks locks queued, a page at a time (#15, NotifyDispatcher). */
    @Bean(destroyMethod = "shutdown")
    public ExecutorService closeCheckRelayExecutor() {
        return new ThreadPoolExecutor(
                1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "close-check-relay"));
    }

    /** The one thread of the after-commit outcomes' recorder (#19); started by the recorder, ended after its stop. */
    @Bean(destroyMethod = "shutdown")
    public ExecutorService notifyRecordExecutor() {
        return new ThreadPoolExecutor(
                1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "notify-record"));
    }

    /**
     * #19: writes the after-commit deliveries' outcomes a page at a time. Its window stays far below the lease
     * (bound with the settings, {@link NotifyProperties.RecordWindowWithinLease}).
     */
    @Bean
    @ConditionalOnProperty(name = "gbm.notify.record-together", havingValue = "true", matchIfMissing = true)
    public NotifyAttemptRecorder notifyAttemptRecorder(
            DueCallbackDeliveryService dueCallbackDeliveryService,
            ExecutorService notifyRecordExecutor,
            NotifyProperties properties,
            MeterRegistry meters) {
        return new NotifyAttemptRecorder(
                dueCallbackDeliveryService::recordAttempts,
                notifyRecordExecutor,
                properties.getRecordQueue(),
                properties.getRecordWindow(),
                properties.getRecordPage(),
                meters);
    }

    @Bean
    public NotifyDispatcher notifyDispatcher(
            ExecutorService notifyDispatchExecutor,
            ExecutorService closeCheckRelayExecutor,
            DueCallbackDeliveryService dueCallbackDeliveryService,
            NotifyProperties properties,
            ObjectProvider<NotifyAttemptRecorder> recorder) {
        return new NotifyDispatcher(
                notifyDispatchExecutor,
                dueCallbackDeliveryService,
                closeCheckRelayExecutor,
                properties.getPageSize(),
                CLOSE_CHECK_RELAY_BOUND,
                recorder.getIfAvailable());
    }
}
