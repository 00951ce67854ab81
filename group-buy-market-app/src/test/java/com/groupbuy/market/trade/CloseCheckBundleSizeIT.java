package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.CloseCheckRecords;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.PrivateRabbitNode;
import com.groupbuy.market.support.TradeClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionProxy;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Close-check bundles larger than the broker's {@code max_message_size}, on a node of this class's own
 * ({@link PrivateRabbitNode}, RabbitMQ takes any positive limit; 4,096 bytes here) with {@code bundle-max} 64: a page
 * of 40 team checks due together makes a bundle of about 5 kB, which the broker refuses by closing the channel
 * ({@code 406 PRECONDITION_FAILED - message size N is larger than configured max size 4096}). Every team must still be
 * failed by its own close check at its deadline (the polling job is held off by a 10-minute backstop margin: it is the
 * fallback only for checks the broker lost), each check delivered at its first attempt, the refusal logged as a WARN
 * naming the size and the limit, and the next page split to fit without another refused publish.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
        properties = {
            "gbm.timeout.expiry-grace=1s",
            "gbm.close-check.backstop-margin=10m",
            "gbm.close-check.bundle-spread=1s",
            "gbm.close-check.bundle-max=64",
            "gbm.close-check.retry-delay=50ms",
            "gbm.mq.confirm-timeout=3s",
            // The broker's limit kept as long as the test runs, once learned (10 s by default: round b comes later, and
            // its bundle would be refused again before it is split).
            "gbm.mq.declare-retry=1h",
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0",
            // The 40 checks one page, one claim, so one bundle: with the default 8 lanes claiming at once, a loaded
            // host
            // let two lanes share them (each lane locks due rows skipping those another holds), every bundle under
            // the limit, and the broker refused none.
            "gbm.notify.run-lanes=1"
        })
class CloseCheckBundleSizeIT {

    private static final int LIMIT = 4_096;
    private static final int TEAMS = 40;
    /** The lane of {@link #aLimitRaisedOnTheBrokerBundlesWholeAgain}'s checks: far from due while the test runs. */
    private static final Duration NOMINAL = Duration.ofMinutes(16);
    /** What a check may be late at most: the page's publish, the lane's expiry, the consumer's close. */
    private static final Duration LATE_AT_MOST = Duration.ofSeconds(4);

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_bsize_");
    private static final PartnerReceiver REFUNDS = PartnerReceiver.startOrFail();

    @RegisterExtension
    static final PrivateRabbitNode node = new PrivateRabbitNode("max_message_size = " + LIMIT);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        QUEUES.register(registry);
        registry.add("spring.rabbitmq.port", () -> node.rabbit().port());
        registry.add("gbm.notify.refund-urls.s01.c01", REFUNDS::url);
    }

    @AfterAll
    static void closeRefunds() {
        REFUNDS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Test
    void bundlesOverTheBrokersMaxMessageSizeAreSplit_everyTeamIsFailedByItsCheckOnTime(CapturedOutput output)
            throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9_460, partner.url());
            for (String round : List.of("a", "b")) {
                List<String> teams = new ArrayList<>();
                for (int i = 0; i < TEAMS; i++) {
                    teams.add(mall.team("bs" + round + i));
                }
                // The relay's own publish of each team check (its lane of 16 minutes) done first: its outcome written
                // later would overwrite the row made due again below.
                await(() -> jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_task WHERE notify_category = ? AND notify_status = 1",
                                Integer.class,
                                CloseCheckVO.Kind.TEAM_EXPIRY.category())
                        >= teams.size() * ("a".equals(round) ? 1 : 2));
                // Each team ends in 3 s (its check due 1 s later, the expiry grace), its check due again at once in
                // the outbox: one compensation page of 40 checks of one lane within the spread. The deadline is taken
                // now, once the teams are opened: before, opening 40 teams on a loaded host took most of its 4 s, and
                // the checks, published past it, were late by the test's own setup.
                Instant closeAt = Instant.now().plusSeconds(4);
                dueAgain(teams, closeAt);
                notifyService.deliverAllDue();

                List<String> late = new ArrayList<>();
                Instant bound = closeAt.plus(LATE_AT_MOST);
                while (Instant.now().isBefore(bound) && !allFailed(teams)) {
                    Thread.sleep(100);
                }
                for (String teamId : teams) {
                    if (status(teamId) != 2) {
                        late.add(teamId + " " + counts.team(teamId) + " " + task(teamId));
                    }
                }
                assertThat(late)
                        .as("round %s: every team failed by its close check within %s of its deadline", round, bound)
                        .isEmpty();
                for (String teamId : teams) {
                    assertThat(task(teamId))
                            .as("its check delivered at its first attempt after the relay's")
                            .containsEntry("notify_status", 1)
                            .containsEntry("notify_count", 2);
                }
            }
        }
        String log = output.getAll();
        assertThat(count(log, "reply-code=406"))
                .as("the broker refused one bundle at most: the second page is split to fit")
                .isBetween(0, 1);
        Matcher warn = Pattern.compile("WARN .*close-check bundle of (\\d+) bytes .*max_message_size of (\\d+) bytes")
                .matcher(log);
        assertThat(warn.find()).as("a WARN naming the size and the limit").isTrue();
        assertThat(Integer.parseInt(warn.group(1))).isGreaterThan(LIMIT);
        assertThat(warn.group(2)).isEqualTo(Integer.toString(LIMIT));
    }

    @Autowired
    CloseCheckPublisher publisher;

    @Autowired
    RabbitTemplate notifyRabbitTemplate;

    /**
     * The publisher keeps the broker's limit where the partners' MQ channel keeps it (MqExchangeGuard), as long as it
     * does: once an operator raised {@code max_message_size} and restarted the node (every connection new), a page's
     * bundle goes out whole again. Before, the publisher kept a limit of its own for the process's life and split
     * every later bundle until the service restarted.
     */
    @Test
    void aLimitRaisedOnTheBrokerBundlesWholeAgain() throws Exception {
        // Every connection new: whatever limit an earlier test taught is unknown again.
        closeAllConnections();
        String lane = QUEUES.lane(NOMINAL.toSeconds() + "s");
        try {
            // 40 checks of one lane within the spread: one bundle of about 5 kB, refused and published again split.
            assertThat(publisher.deliverAll(CloseCheckRecords.teamChecks("bla", TEAMS, NOMINAL)))
                    .allMatch(DeliveryResult::delivered);
            long before = messages(lane);

            node.rabbit().setEnv("max_message_size", "1048576");
            closeAllConnections();
            assertThat(publisher.deliverAll(CloseCheckRecords.teamChecks("blb", TEAMS, NOMINAL)))
                    .allMatch(DeliveryResult::delivered);
            assertThat(messages(lane) - before)
                    .as("the page's 40 checks in one bundle, the limit raised")
                    .isEqualTo(1);
        } finally {
            node.rabbit().setEnv("max_message_size", Integer.toString(LIMIT));
            closeAllConnections();
        }
    }

    @Autowired
    CachingConnectionFactory connectionFactory;

    /**
     * The node closes every client connection, and our publisher connection has read its close: published while the
     * close was on its way (a loaded host, 2026-12-07), the page went out on the closing connection and failed
     * ({@code CONNECTION_FORCED - closed by the test}) instead of on a new one.
     */
    private void closeAllConnections() throws Exception {
        Connection publishing =
                connectionFactory.getPublisherConnectionFactory().createConnection();
        Connection open = publishing instanceof ConnectionProxy proxy ? proxy.getTargetConnection() : publishing;
        node.rabbit().closeAllConnections();
        await(() -> !open.isOpen());
    }

    /** How many messages the queue holds. */
    private long messages(String queue) {
        return notifyRabbitTemplate.execute(
                channel -> channel.queueDeclarePassive(queue).getMessageCount());
    }

    /** The teams end a second before {@code closeAt}, their checks due again at once: two batches of statements. */
    private void dueAgain(List<String> teams, Instant closeAt) {
        Timestamp ends = Timestamp.from(closeAt.minusSeconds(1));
        jdbc.batchUpdate(
                "UPDATE group_buy_order SET valid_end_time = ? WHERE team_id = ?",
                teams.stream().map(t -> new Object[] {ends, t}).toList());
        Timestamp due = Timestamp.from(Instant.now().minusSeconds(1));
        jdbc.batchUpdate(
                "UPDATE notify_task SET parameter_json = ?, notify_status = 0, claim_until = NULL,"
                        + " next_attempt_time = ? WHERE team_id = ? AND notify_category = ?",
                teams.stream()
                        .map(t -> new Object[] {
                            CloseCheckVO.teamExpiry(t, closeAt, Duration.ofSeconds(4))
                                    .toJson(),
                            due,
                            t,
                            CloseCheckVO.Kind.TEAM_EXPIRY.category()
                        })
                        .toList());
        assertThat(teams.stream().filter(t -> ((Number) task(t).get("notify_status")).intValue() == 0))
                .as("each team's close check due again")
                .hasSize(teams.size());
    }

    private boolean allFailed(Iterable<String> teams) {
        for (String teamId : teams) {
            if (status(teamId) != 2) {
                return false;
            }
        }
        return true;
    }

    private int status(String teamId) {
        return ((Number) counts.team(teamId).get("status")).intValue();
    }

    private Map<String, Object> task(String teamId) {
        return jdbc.queryForMap(
                "SELECT notify_status, notify_count, last_error FROM notify_task"
                        + " WHERE team_id = ? AND notify_category = ?",
                teamId,
                CloseCheckVO.Kind.TEAM_EXPIRY.category());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
