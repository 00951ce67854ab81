package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.AlarmedBroker;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TcpProxy;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A page of partners' MQ callbacks, sent by the notify job, far bigger than the publisher connection's socket buffers
 * (2,000 callbacks of about 4 KB: 8 MB, where about 3.6 MB filled them on this host), published into a memory alarm
 * the broker raised while our connection was idle: the broker reads our first publish, stops reading and tells us it
 * blocks us. Here that notice reaches us late, as it reached a loaded CI host's client (MqBlockedCloseCheckIT hung
 * there): the broker's bytes come through a proxy that holds them 1.5 s during the page. A page that wrote on until
 * our client had read the notice filled the buffers and hung in the socket write until the alarm lifted, or, had they
 * held it all, left everything it wrote on its way, to be taken by the broker once the alarm lifts and published again
 * by the retry. The page keeps at most a window of publishes unconfirmed, so it ends within its confirm timeout with at
 * most that window's callbacks on their way; the rest wait, not sent, no try used. Against a RabbitMQ node of the alarm
 * tests' own, whose memory alarm it raises.
 */
// Timing-sensitive: the page's bound is its confirm timeout with a few seconds to spare.
@RunsAlone
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0",
            "gbm.mq.confirm-timeout=2s",
            "gbm.notify.run-lanes=1",
            "gbm.notify.page-size=2500"
        })
class MqBlockedCallbackPageIT {

    private static final int TASKS = 2_000;

    /** The start of this class's message ids. */
    private static final String PREFIX = "msg_blkcbp";

    /**
     * The page's publishes on their way unconfirmed at most (AmqpNotifyGateway.UNCONFIRMED_MAX; its bytes bound lets
     * fewer of these bodies out): those the broker takes once the alarm lifts, and the retry publishes again.
     */
    private static final int WINDOW = 128;

    /**
     * How long a callback the page did not publish waits, no try used (AmqpNotifyGateway.BLOCKED_RETRY_IN): its due
     * time less this is when the page gave it up.
     */
    private static final Duration BLOCKED_RETRY_IN = Duration.ofSeconds(5);

    /** Where a body's team id starts: after {@code {"teamId":"}. */
    private static final int TEAM_AT = 11;

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    private static TcpProxy proxy;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker.start(registry);
        proxy = TcpProxy.to(broker.port());
        // The service's connections go through the proxy; the mall's queue is read straight from the broker.
        registry.add("spring.rabbitmq.port", proxy::port);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        if (proxy != null) {
            proxy.cut();
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    @Qualifier("mqChannel")
    HealthIndicator mqChannel;

    @Test
    void aCallbackPageBiggerThanTheSocketBuffersEndsWithinItsConfirmTimeoutAndIsDeliveredOnceTheAlarmLifts(
            CapturedOutput output) throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 3);
        try (MallQueue mall = new MallQueue(broker.port(), "topic.team_success");
                BlockedOutbox outbox = new BlockedOutbox(jdbc)) {
            // The publisher connection made and the exchange declared: the page below is what the broker blocks.
            List<String> warmUp = due("w" + batch.substring(1), 1);
            assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
            await(() -> mall.forTeam(warmUp.get(0)).size() == 1);

            List<String> teams = due(batch, TASKS);
            broker.raiseAlarm();
            proxy.delayAnswers(Duration.ofMillis(1500));
            try {
                Instant started = Instant.now();
                // The alarm stays up until the run ended: a page that hung in its socket write would hang until then,
                // so the run ending at all is what tells it from one that writes on. Its end is not timed: after the
                // page, the run puts back the ~1,900 callbacks it did not publish, a few statements of up to 500 each
                // (before, a write each: 1.4 s idle, over 10 s under load).
                int logFrom = output.getAll().length();
                NotifyRunSummary during = outbox.within(
                        Duration.ofSeconds(50 + 30), notifyService::deliverAllDue, "a run of 2,000 MQ callbacks");
                String runLog = output.getAll().substring(logFrom);
                // The page's own bound, its confirm timeout: when it stopped publishing (its window shut or the
                // block read), the first callback it left unpublished was due again BLOCKED_RETRY_IN later, as its
                // put-back logged.
                Duration stoppedAfter = Duration.between(started, firstNotSentDue(runLog, batch))
                        .minus(BLOCKED_RETRY_IN);
                assertThat(stoppedAfter)
                        .as("the page into the alarm stopped publishing")
                        .isLessThan(Duration.ofSeconds(2 + 8));
                // Nothing delivered that the broker did not confirm; each waits for its retry, none FAILed. Only a
                // callback the page published into the alarm used a try (at most the window's); the rest were not
                // sent, no try used and no attempt row, as our broker's block is no fault of the partner's.
                assertThat(during.delivered()).isZero();
                assertThat(tasks(batch, "notify_status")).containsOnly(Map.entry(2, (long) TASKS));
                Map<Integer, Long> counts = tasks(batch, "notify_count");
                assertThat(counts.keySet()).isSubsetOf(0, 1);
                assertThat(counts.getOrDefault(1, 0L)).isLessThanOrEqualTo(WINDOW);
                assertThat(notSent(batch)).isGreaterThan(TASKS - WINDOW);
                assertThat(attemptRows(batch)).isEqualTo(counts.getOrDefault(1, 0L));
                // The run took only what was due when it started: none it put back was taken and put back again
                // once its 5 s were over (under load each was, 6 times in one run, while the put-backs outlasted them).
                Map<String, Long> putBacks = putBacks(runLog, batch);
                assertThat(putBacks).hasSizeGreaterThan(TASKS - WINDOW);
                assertThat(putBacks.values())
                        .as("put-backs of one callback in the run")
                        .allMatch(n -> n == 1);
            } finally {
                proxy.delayAnswers(Duration.ZERO);
                broker.clearAlarm();
            }

            await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
            outbox.makeRetriesDue();
            NotifyRunSummary after = outbox.within(Duration.ofSeconds(30), notifyService::deliverAllDue, "run after");
            assertThat(after.delivered()).isEqualTo(TASKS);
            assertThat(tasks(batch, "notify_status")).containsOnly(Map.entry(1, (long) TASKS));

            // Every callback reached the mall's queue. The broker takes what the page had on its way when it lifts
            // the alarm, before the retry's publishes on the same connection, so once every callback arrived the
            // count is final: one per task, and a second only for those the window had on their way.
            Set<String> page = Set.copyOf(teams);
            await(() -> perTeam(mall, page).size() == TASKS);
            Map<String, Long> perTeam = perTeam(mall, page);
            long twice = perTeam.values().stream().filter(n -> n > 1).count();
            assertThat(perTeam.values()).allMatch(n -> n <= 2, "no callback more than twice");
            assertThat(twice)
                    .as("callbacks the page left on their way into the alarm")
                    .isLessThanOrEqualTo(WINDOW);
        }
    }

    @Autowired
    CachingConnectionFactory connectionFactory;

    /**
     * A page whose own time (its confirm timeout, 2 s) ran out before its publishes, its confirm window not shut: the
     * page needs a new connection and channel (as after a broker restart) and the broker's answers come 1 s late, five
     * round trips before the first publish. Our own pacing, no fault of the partner's: its callbacks are not sent, no
     * try used, and go out seconds later, once the broker answers in time (before, each was a failed attempt).
     */
    @Test
    void callbacksOfAPageWhoseTimeRanOutBeforeTheirPublishUseNoTry() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 3);
        try (MallQueue mall = new MallQueue(broker.port(), "topic.team_success");
                BlockedOutbox outbox = new BlockedOutbox(jdbc)) {
            List<String> warmUp = due("v" + batch.substring(1), 1);
            assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
            await(() -> mall.forTeam(warmUp.get(0)).size() == 1);

            List<String> teams = due(batch, 5);
            ((CachingConnectionFactory) connectionFactory.getPublisherConnectionFactory()).resetConnection();
            proxy.delayAnswers(Duration.ofSeconds(1));
            try {
                NotifyRunSummary slow =
                        outbox.within(Duration.ofSeconds(30), notifyService::deliverAllDue, "the slow page's run");
                assertThat(slow.delivered()).isZero();
                outbox.assertNotSentNoTry(teams, "ran out while publishing");
            } finally {
                proxy.delayAnswers(Duration.ZERO);
            }

            // Delivered at their own next time, seconds later (none made due by hand), once each.
            await(() -> {
                notifyService.deliverAllDue();
                return outbox.statuses(teams).stream().allMatch(status -> status == 1);
            });
            assertThat(outbox.counts(teams)).containsOnly(1);
            await(() -> teams.stream().allMatch(t -> mall.forTeam(t).size() == 1));
        }
    }

    /** How many of the mall's messages each of these teams has (its id is the body's first field). */
    private static Map<String, Long> perTeam(MallQueue mall, Set<String> teams) {
        return mall.received().stream()
                .map(r -> r.body().substring(TEAM_AT, TEAM_AT + 8))
                .filter(teams::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /**
     * {@code n} due MQ settlement tasks of partner s01/c01, each with a body of about 4 KB, whose team ids are the
     * three characters {@code batch} and a number; their team ids.
     */
    private List<String> due(String batch, int n) {
        StringBuilder orders = new StringBuilder();
        for (int i = 0; i < 240; i++) {
            orders.append(i == 0 ? "" : ",")
                    .append("\"")
                    .append(batch)
                    .append("-order-")
                    .append(i)
                    .append("\"");
        }
        List<Object[]> rows = new ArrayList<>();
        List<String> teams = new ArrayList<>();
        Timestamp due = Timestamp.from(Instant.now().minusSeconds(1));
        for (int i = 0; i < n; i++) {
            String teamId = batch + String.format("%05d", i);
            String body = "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[" + orders + "]}";
            rows.add(new Object[] {teamId + ":trade_settlement", PREFIX + teamId, teamId, body, due});
            teams.add(teamId);
        }
        jdbc.batchUpdate(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                        + "notify_category, notify_type, notify_mq, notify_count, notify_status, parameter_json, "
                        + "next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'MQ', "
                        + "'topic.team_success', 0, 0, ?, ?)",
                rows);
        return teams;
    }

    /** How many of the page's tasks have each value of {@code column} (notify_status, notify_count). */
    private Map<Integer, Long> tasks(String batch, String column) {
        Map<Integer, Long> counts = new TreeMap<>();
        jdbc.query(
                "SELECT " + column + ", COUNT(*) FROM notify_task WHERE webhook_id LIKE ? GROUP BY " + column,
                (RowCallbackHandler) row -> counts.put(row.getInt(1), row.getLong(2)),
                PREFIX + batch + "%");
        return counts;
    }

    /** How many of the page's tasks were not sent (not published, no try used), by their last error. */
    private long notSent(String batch) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE webhook_id LIKE ? AND last_error LIKE 'not sent: %'"
                        + " AND notify_count = 0",
                Long.class, PREFIX + batch + "%");
    }

    /** The due time the first put-back of one of the page's tasks logged: the first the page gave up, plus 5 s. */
    private static Instant firstNotSentDue(String log, String batch) {
        Matcher line = Pattern.compile(
                        "team=" + Pattern.quote(batch) + "\\d{5} not sent: .*\\(no attempt used\\) next=(\\S+)")
                .matcher(log);
        assertThat(line.find()).as("a put-back of the page logged").isTrue();
        return Instant.parse(line.group(1));
    }

    /** How many times the run's log says each of the page's callbacks was put back unsent, by team. */
    private static Map<String, Long> putBacks(String log, String batch) {
        Matcher line = Pattern.compile(
                        "team=(" + Pattern.quote(batch) + "\\d{5}) not sent: .*\\(no attempt used\\) next=")
                .matcher(log);
        Map<String, Long> perTeam = new TreeMap<>();
        while (line.find()) {
            perTeam.merge(line.group(1), 1L, Long::sum);
        }
        return perTeam;
    }

    /** How many attempt rows the page's tasks have. */
    private long attemptRows(String batch) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id"
                        + " WHERE t.webhook_id LIKE ?",
                Long.class,
                PREFIX + batch + "%");
    }
}
