package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.JSON;
import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionStatus;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.CloseCheckRecords;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.trigger.job.TimeoutRunMeter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The delay path of timeout closing (#15) on the real RabbitMQ, MariaDB and Redis: a lock's close check, written in
 * the lock's transaction, comes back through a delay lane at the lock's deadline and closes it if (and only if) it is
 * still unpaid; duplicates close once and tell the partner once; a poison check is dead-lettered with its reason; a
 * broker down at lock time leaves the close to the polling job. The polling job never runs on its own here (the local
 * scheduler is off in tests), so a close seen here without calling it was made by the delay path. Queues are this
 * class's own; the app's connection goes through a TCP proxy the outage test cuts.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=3s",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.backstop-margin=2s",
            "gbm.close-check.retry-delay=50ms",
            // The broker-down test's consumers try again this often while the proxy is cut: the check published once
            // it is open again is consumed within this, not within Spring's 5 s.
            "gbm.close-check.recovery-interval=500ms",
            "gbm.mq.confirm-timeout=3s",
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0"
        })
class CloseCheckIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_close_");
    private static final String SUFFIX = QUEUES.suffix();
    private static final String QUEUE = QUEUES.queue();
    private static final String DEAD = QUEUES.deadLetter();
    private static final String LANES = QUEUES.lanePrefix();
    private static final String TOKEN = "it-admin-" + SUFFIX;
    private static final AtomicInteger ACTIVITY = new AtomicInteger(9100);
    private static final PartnerReceiver REFUNDS = PartnerReceiver.startOrFail();
    private static final TcpProxy PROXY = proxy();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
        registry.add("gbm.notify.refund-urls.s01.c01", REFUNDS::url);
        registry.add("gbm.admin.token", () -> TOKEN);
        registry.add("spring.rabbitmq.port", PROXY::port);
    }

    private static TcpProxy proxy() {
        try {
            return TcpProxy.to(5672);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void dropBrokerObjects() throws IOException {
        REFUNDS.close();
        QUEUES.delete(QUEUES.lane("3s"), QUEUES.lane("960s"));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    TradeTimeoutService timeoutService;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CloseCheckPublisher publisher;

    @Autowired
    SimpleMessageListenerContainer closeCheckListenerContainer;

    private PartnerReceiver partner;
    private TradeClient mall;
    private boolean proxyCut;

    @BeforeEach
    void setUp() throws Exception {
        partner = new PartnerReceiver();
        mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), partner.url());
    }

    @AfterEach
    void tearDown() throws IOException {
        partner.close();
        if (proxyCut) {
            PROXY.open();
            proxyCut = false;
        }
    }

    @Test
    void anUnpaidLockWithA3sTimeoutIsClosedByItsDelayedCheckAndItsPlaceIsTakenAgain() throws Exception {
        String teamId = mall.team("u1", "u2");
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(checkTasks(teamId))
                .as("one team check, one unpaid check per lock")
                .containsExactlyInAnyOrder("internal_close_team", "internal_close_unpaid", "internal_close_unpaid");

        // The Redis place is given back right after the close commits, so it is awaited too (reading it at the moment
        // the second order showed closed raced that release: 1 place seen once on a loaded machine).
        await(() -> counts.orderStatus("u1") == 2 && counts.orderStatus("u2") == 2 && counts.redisPlaces(teamId) == 0);

        assertThat(counts.team(teamId)).containsEntry("lock_count", 0).containsEntry("status", 0);
        assertThat(record(unpaidCheckId("u1")).get("status"))
                .as("consumed by the close-check consumer")
                .isEqualTo(1);
        assertThat(closedAt("u1")).as("never closed before its deadline").isAfterOrEqualTo(deadline("u1"));
        assertThat(closedAt("u2")).as("never closed before its deadline").isAfterOrEqualTo(deadline("u2"));
        // The place is free again: a new buyer joins the same team.
        assertThat(mall.lock("u3", teamId).path("code").asText()).isEqualTo("0000");
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1).isEqualTo(counts.lockCount(teamId));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aSettlementJustBeforeTheCheckKeepsTheOrderPaidAndItsPlace(CapturedOutput output) throws Exception {
        // The settlement comes before the check whatever the machine's load: the close-check consumer is stopped from
        // before the lock until the settlement answered, so the check (due 3 s after the lock) waits in its queue
        // meanwhile. Before, the test slept until 1.5 s before the deadline and settled then: a settlement slower than
        // that on a loaded machine came after the check, which closed the order (E0208), a spurious failure.
        String teamId;
        closeCheckListenerContainer.stop();
        try {
            teamId = mall.team("p1");
            assertThat(mall.settle("p1").path("code").asText()).isEqualTo("0000");
        } finally {
            closeCheckListenerContainer.start();
        }

        String checkId = unpaidCheckId("p1");
        // The check finds the order paid: acknowledged without a consumption record (nothing to do, nothing to keep).
        // Awaited by the consumer's own line for this check (the count of checks skipped moves for any check).
        awaitFoundSettled(output, checkId);
        await(() -> taskStatus(checkId) == 1);
        assertThat(recordStatus(checkId))
                .as("no record for a check that had nothing to do")
                .isEqualTo(-1);

        assertThat(counts.orderStatus("p1")).isEqualTo(1);
        assertThat(counts.team(teamId)).containsEntry("lock_count", 1).containsEntry("complete_count", 1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund")).isZero();
        assertThat(counts.lateNotices("p1")).isZero();
    }

    @Test
    void theSameCheckDeliveredThreeTimesClosesOnceAndTellsThePartnerOnce() throws Exception {
        String teamId = mall.team("d1");
        Map<String, Object> check = jdbc.queryForMap(
                "SELECT webhook_id, parameter_json FROM notify_task "
                        + "WHERE team_id = ? AND notify_category = 'internal_close_unpaid'",
                teamId);
        String checkId = (String) check.get("webhook_id");
        double handledBefore = handled();
        // Two copies straight into the close-check queue, ahead of the one coming through the delay lane: they race
        // each other (two consumers), and all three are the same message.
        publish(QUEUE, checkId, (String) check.get("parameter_json"));
        publish(QUEUE, checkId, (String) check.get("parameter_json"));

        // All three are handled and acknowledged; the close is guarded, so whichever copies ran an attempt (a copy
        // arriving while another's attempt waits for the deadline starts its own) close the order once between them.
        await(() -> counts.orderStatus("d1") == 2 && handled() - handledBefore >= 3);
        await(() -> REFUNDS.callbacksFor("out-d1").size() == 1);
        // No second callback: every copy was handled (a close writes its refund callback in its own transaction), and
        // every refund callback the team owes is now sent and recorded, so one a second close had written would be
        // at the partner already. (A 1 s sleep hoped a second one would have arrived by then.)
        awaitRefundCallbacksDelivered(teamId);

        assertThat(REFUNDS.callbacksFor("out-d1")).hasSize(1);
        assertThat(REFUNDS.callbacksFor("out-d1").get(0).path("type").asText()).isEqualTo("unpaid_unlock");
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP")).isEqualTo(1);
        assertThat(record(checkId)).containsEntry("status", 1);
        assertThat(counts.redisPlaces(teamId)).isZero().isEqualTo(counts.lockCount(teamId));
        assertThat(closedAt("d1"))
                .as("the early copies waited for the deadline")
                .isAfterOrEqualTo(deadline("d1"));
    }

    /**
     * Anyone who can publish to the close-check queue chooses a check's deadline and length. Two forged checks of
     * fresh locks, under ids of their own, straight into the queue: one naming a deadline an hour ago without a length,
     * one whose length reaches back a day before its lock. On main each closed its lock on arrival, three seconds before
     * its deadline (the buyer paying in time was refused E0208); the deadline is the database's lock time + timeout now.
     */
    @Test
    void aForgedCheckNamingAPastDeadlineClosesNoLockBeforeItsDeadline() throws Exception {
        String teamId = mall.team("f1", "f2");
        long now = System.currentTimeMillis();
        publish(
                QUEUE,
                "msg_forged1_" + SUFFIX,
                "{\"check\":\"unpaid_order\",\"teamId\":\"" + teamId + "\",\"orderId\":\"" + orderId("f1")
                        + "\",\"closeAt\":" + (now - 3_600_000) + "}");
        publish(
                QUEUE,
                "msg_forged2_" + SUFFIX,
                "{\"check\":\"unpaid_order\",\"teamId\":\"" + teamId + "\",\"orderId\":\"" + orderId("f2")
                        + "\",\"closeAt\":" + now + ",\"delayMs\":86400000}");

        // Closed all the same at their deadlines (by the forged checks after their wait, or by the real ones).
        await(() -> counts.orderStatus("f1") == 2 && counts.orderStatus("f2") == 2);
        assertThat(closedAt("f1")).as("never closed before its deadline").isAfterOrEqualTo(deadline("f1"));
        assertThat(closedAt("f2")).as("never closed before its deadline").isAfterOrEqualTo(deadline("f2"));
    }

    /**
     * A team check as anyone who can publish to the queue may forge it, naming an open team and a deadline an hour
     * past: a team fails by the database's end + expiry grace only, so the check fails no team and touches no member
     * (docs/partner-scope.md, broker messages); it is published again toward the team's own due time.
     */
    @Test
    void aForgedTeamCheckNamingAPastDeadlineFailsNoOpenTeam() throws Exception {
        String teamId = mall.team("g1");
        assertThat(mall.settle("g1").path("code").asText()).isEqualTo("0000");
        String messageId = "msg_forged_team_" + SUFFIX;

        publish(
                QUEUE,
                messageId,
                "{\"check\":\"team_expiry\",\"teamId\":\"" + teamId + "\",\"closeAt\":"
                        + (System.currentTimeMillis() - 3_600_000) + "}");

        await(() -> recordStatus(messageId) == ConsumptionStatus.SUCCESS.code());
        assertThat(((Number) counts.team(teamId).get("status")).intValue())
                .as("still open")
                .isEqualTo(TeamStatus.OPEN.code());
        assertThat(counts.orderStatus("g1")).as("its paid member untouched").isEqualTo(OrderStatus.PAID.code());
    }

    private String orderId(String userId) {
        return jdbc.queryForObject("SELECT order_id FROM group_buy_order_list WHERE user_id = ?", String.class, userId);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void brokerDownAtLockTime_theLockSucceedsAndThePollingJobClosesIt(CapturedOutput output) throws Exception {
        PROXY.cut();
        proxyCut = true;
        JsonNode lock = mall.lock("b1", "");
        assertThat(lock.path("code").asText())
                .as("a broker outage never fails a lock")
                .isEqualTo("0000");
        String teamId = lock.path("data").path("teamId").asText();
        String checkId = unpaidCheckId("b1");
        await(() -> taskStatus(checkId) == 2);

        // Past the deadline (3 s) and the backstop margin (2 s): the job finds it, late. Awaited on the lock's stored
        // time as the job reads it (locked before its start less both), not slept for (5.5 s before): a run started
        // after this takes it, however slow the machine. (The 3 s of extra slack this had while the job's bound reached
        // the database in whole seconds is no longer needed: UtcInstantTypeHandler.)
        await(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = 'b1' AND create_time < ?",
                        Integer.class,
                        Timestamp.from(Instant.now().minusSeconds(3 + 2)))
                == 1);
        double lateOrdersBefore = foundLate("order");
        double lateTeamsBefore = foundLate("team");
        TimeoutRunSummary run = timeoutService.execTimeoutCloseJob();

        assertThat(counts.orderStatus("b1")).isEqualTo(2);
        assertThat(run.closedUnpaid()).isGreaterThanOrEqualTo(1);
        assertThat(run.foundLate()).isEqualTo(run.closedUnpaid() + run.expiredTeams());
        // The metric beside the job's line (gbm_timeout_found_late_total{kind}) moved by what this run found late.
        assertThat(foundLate("order") - lateOrdersBefore).isEqualTo(run.closedUnpaid());
        assertThat(foundLate("team") - lateTeamsBefore).isEqualTo(run.expiredTeams());
        assertThat(counts.redisPlaces(teamId)).isZero();

        // The broker is back and the outbox publishes the check after all: it finds the order closed, changes nothing.
        PROXY.open();
        proxyCut = false;
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = ? WHERE webhook_id = ?",
                Timestamp.from(Instant.now().minusSeconds(1)),
                checkId);
        await(() -> {
            notifyService.deliverAllDue();
            return taskStatus(checkId) == 1;
        });
        // Consumed: its own line says it found the order closed (the count of checks skipped moves for any check).
        awaitFoundSettled(output, checkId);
        assertThat(recordStatus(checkId))
                .as("no record for a check that had nothing to do")
                .isEqualTo(-1);
        await(() -> REFUNDS.callbacksFor("out-b1").size() == 1);
        // No second callback: the job's close wrote the one refund callback and the check closed nothing; once every
        // refund callback of the team is sent and recorded, a second would be at the partner. (500 ms slept before.)
        awaitRefundCallbacksDelivered(teamId);
        assertThat(REFUNDS.callbacksFor("out-b1")).hasSize(1);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP")).isEqualTo(1);
    }

    @Test
    void theTeamCheckFailsAnExpiredTeamAndTellsItsPaidMember() throws Exception {
        String teamId = mall.team("t1");
        assertThat(mall.settle("t1").path("code").asText()).isEqualTo("0000");
        Map<String, Object> check = jdbc.queryForMap(
                "SELECT webhook_id, parameter_json FROM notify_task "
                        + "WHERE team_id = ? AND notify_category = 'internal_close_team'",
                teamId);
        JsonNode body = JSON.readTree((String) check.get("parameter_json"));
        assertThat(body.path("closeAt").asLong() - body.path("delayMs").asLong())
                .as("due at the team's validity end + the expiry grace")
                .isLessThanOrEqualTo(Instant.now().toEpochMilli());
        assertThat(body.path("delayMs").asLong()).isEqualTo((15 * 60 + 60) * 1000L);
        // Its time has come: the team ended two minutes ago (rows' times written back, not waited for).
        jdbc.update(
                "UPDATE group_buy_order SET valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 2 MINUTE WHERE team_id = ?",
                teamId);
        String due = ((String) check.get("parameter_json"))
                .replaceAll(
                        "\"closeAt\":\\d+",
                        "\"closeAt\":" + Instant.now().minusSeconds(60).toEpochMilli());
        publish(QUEUE, (String) check.get("webhook_id"), due);

        await(() -> ((Number) counts.team(teamId).get("status")).intValue() == 2);
        await(() -> REFUNDS.callbacksFor("out-t1").size() == 1);
        assertThat(REFUNDS.callbacksFor("out-t1").get(0).path("type").asText()).isEqualTo("paid_unformed");
        assertThat(counts.orderStatus("t1")).as("a paid order is never closed").isEqualTo(1);
    }

    @Test
    void aMalformedCheckAndACheckOfNoOrderAreDeadLetteredWithTheirReasons() throws Exception {
        String malformed = "msg_bad_" + SUFFIX;
        String noOrder = "msg_none_" + SUFFIX;
        publish(QUEUE, malformed, "{\"check\":\"nope\"}");
        publish(
                QUEUE,
                noOrder,
                "{\"check\":\"unpaid_order\",\"teamId\":\"00000000\",\"orderId\":\"000000000000\","
                        + "\"closeAt\":1,\"delayMs\":3000}");

        Message first = awaitDead();
        Message second = awaitDead();
        Map<String, String> reasons = Map.of(
                first.getMessageProperties().getMessageId(),
                        first.getMessageProperties().getHeader("x-gbm-dead-reason"),
                second.getMessageProperties().getMessageId(),
                        second.getMessageProperties().getHeader("x-gbm-dead-reason"));
        assertThat(reasons.get(malformed)).startsWith("malformed: check must be");
        assertThat(reasons.get(noOrder)).startsWith("no order 000000000000");
        // The consumer records the outcome after the broker took the dead letter: wait for that commit, bounded.
        long deadline = System.currentTimeMillis() + 10_000;
        while ((recordStatus(malformed) != 2 || recordStatus(noOrder) != 2) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(recordStatus(malformed)).isEqualTo(2);
        assertThat(recordStatus(noOrder)).isEqualTo(2);
    }

    /**
     * Deadlines and lengths no lock writes (past 9999, before 1970, near the longs' ends) are malformed checks: each
     * dead-lettered at once naming the field, alone or in a bundle. On main a deadline near Long.MIN_VALUE ran, then
     * its lateness overflowed in the log line (ArithmeticException: a failed attempt, a WARN, and the redelivery
     * acknowledged as a duplicate); one near Long.MAX_VALUE, or a negative length, was acknowledged as a check.
     */
    @Test
    void aCheckNamingAnAbsurdDeadlineOrLengthIsDeadLetteredAsMalformed() throws Exception {
        String team = "{\"check\":\"team_expiry\",\"teamId\":\"00000000\",";
        Map<String, String> bodies = Map.of(
                "msg_min_" + SUFFIX, team + "\"closeAt\":" + Long.MIN_VALUE + "}",
                "msg_max_" + SUFFIX, team + "\"closeAt\":" + Long.MAX_VALUE + "}",
                "msg_neg_" + SUFFIX, team + "\"closeAt\":1,\"delayMs\":" + Long.MIN_VALUE + "}");
        bodies.forEach((id, body) -> publish(QUEUE, id, body));
        String inBundle = "msg_inbundle_" + SUFFIX;
        publish(
                QUEUE,
                "msg_bundle_" + SUFFIX,
                "{\"checks\":[{\"id\":\"" + inBundle + "\",\"body\":" + team + "\"closeAt\":-1}}]}");

        Map<String, String> reasons = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            Message dead = awaitDead();
            reasons.put(
                    dead.getMessageProperties().getMessageId(),
                    dead.getMessageProperties().getHeader("x-gbm-dead-reason"));
        }
        assertThat(reasons.get("msg_min_" + SUFFIX)).startsWith("malformed: closeAt " + Long.MIN_VALUE + " is out of");
        assertThat(reasons.get("msg_max_" + SUFFIX)).startsWith("malformed: closeAt " + Long.MAX_VALUE + " is out of");
        assertThat(reasons.get("msg_neg_" + SUFFIX)).startsWith("malformed: delayMs " + Long.MIN_VALUE + " is out of");
        assertThat(reasons.get(inBundle)).startsWith("malformed: closeAt -1 is out of range");
    }

    @Test
    void aPageOutOfDeadlineOrderIsPublishedInDeadlineOrder_theEarlierCheckIsNotHeldBehindTheLater() throws Exception {
        // Two checks of no order (so the consumer dead-letters each as it arrives), handed to the publisher the later
        // first: a lane expires only at its head, so published in that order the earlier would wait for the later.
        long now = System.currentTimeMillis();
        String later = "msg_later_" + SUFFIX;
        String earlier = "msg_earlier_" + SUFFIX;
        List<DeliveryResult> results = publisher.deliverAll(
                List.of(check(later, "000000000001", now + 5_000), check(earlier, "000000000002", now + 1_500)));
        assertThat(results).allMatch(DeliveryResult::delivered);

        Message first = awaitDead();
        long firstDeadAt = System.currentTimeMillis();
        assertThat(first.getMessageProperties().getMessageId()).isEqualTo(earlier);
        // Held behind it, it would come out when the later expires (5 s), and after it. The 3 s between its own
        // deadline and the bound are for publishing and dead-lettering on a busy machine: 2 s were once too few (ITs in
        // two JVMs, 2026-12-05: 7 ms late).
        assertThat(firstDeadAt).as("not held behind the later check").isLessThan(now + 4_500);
        assertThat(awaitDead().getMessageProperties().getMessageId()).isEqualTo(later);
    }

    private static NotifyTaskVO check(String messageId, String orderId, long closeAt) {
        return NotifyTaskVO.builder()
                .id(0)
                .webhookId(messageId)
                .notifyType("DELAY")
                .body("{\"check\":\"unpaid_order\",\"teamId\":\"00000000\",\"orderId\":\"" + orderId + "\",\"closeAt\":"
                        + closeAt + ",\"delayMs\":3000}")
                .build();
    }

    @Test
    void closeChecksAreNoPartnerCallbacks_theAdminListingLeavesThemOut() throws Exception {
        String teamId = mall.team("a1");
        assertThat(checkTasks(teamId)).hasSize(2);
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + port + "/api/v1/gbm/admin/notify/tasks?teamId=" + teamId))
                                .header("X-Admin-Token", TOKEN)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode listing = JSON.readTree(answer.body());
        assertThat(listing.path("code").asText()).isEqualTo("0000");
        // Under load the 3 s unpaid timeout may pass before the listing and owe the partner a real callback, which
        // the listing rightly shows: what must hold whatever the timing is that no check is ever among what it lists.
        List<Long> listed = new ArrayList<>();
        listing.path("data").forEach(task -> listed.add(task.path("id").asLong()));
        List<Long> partnerCallbacks = jdbc.queryForList(
                "SELECT id FROM notify_task WHERE team_id = ? AND notify_type <> 'DELAY'", Long.class, teamId);
        assertThat(listed)
                .as("only partner callbacks are listed, never the team's close checks")
                .isSubsetOf(partnerCallbacks)
                .doesNotContainAnyElementsOf(jdbc.queryForList(
                        "SELECT id FROM notify_task WHERE team_id = ? AND notify_type = 'DELAY'", Long.class, teamId));
        long checkTaskId = jdbc.queryForObject("SELECT MIN(id) FROM notify_task WHERE team_id = ?", Long.class, teamId);
        HttpResponse<String> attempts = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/gbm/admin/notify/tasks/"
                                        + checkTaskId + "/attempts"))
                                .header("X-Admin-Token", TOKEN)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(attempts.body()).path("code").asText())
                .as("unknown to the admin API")
                .isEqualTo("E0301");
    }

    /**
     * Until the close-check consumer logged that it handled the check {@code messageId} with nothing to do (its order
     * already paid or closed: acknowledged, no record), the line it writes for such a check.
     */
    private static void awaitFoundSettled(CapturedOutput output, String messageId) throws InterruptedException {
        String marker = "close check message=" + messageId + " kind=unpaid_order ";
        await(() -> output.getOut().lines().anyMatch(line -> line.contains(marker) && line.contains("(no record)")));
    }

    /**
     * Until every refund callback to the partner the team's closes wrote (HTTP; not our own refund event, an MQ task of
     * the same category) is sent and recorded as delivered.
     */
    private void awaitRefundCallbacksDelivered(String teamId) throws InterruptedException {
        await(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = 'trade_unpaid2refund'"
                                + " AND notify_type = 'HTTP' AND notify_status <> 1",
                        Integer.class,
                        teamId)
                == 0);
    }

    private List<String> checkTasks(String teamId) {
        return jdbc.queryForList(
                "SELECT notify_category FROM notify_task WHERE team_id = ? AND notify_type = 'DELAY'",
                String.class,
                teamId);
    }

    private String unpaidCheckId(String userId) {
        return jdbc.queryForObject(
                "SELECT t.webhook_id FROM notify_task t JOIN group_buy_order_list l "
                        + "ON t.task_key = CONCAT(l.team_id, ':internal_close_unpaid:', l.order_id) WHERE l.user_id = ?",
                String.class,
                userId);
    }

    /** The unpaid deadline the lock wrote into its check (lock time + 3 s), to the millisecond. */
    private Instant deadline(String userId) throws IOException {
        String body = jdbc.queryForObject(
                "SELECT t.parameter_json FROM notify_task t JOIN group_buy_order_list l "
                        + "ON t.task_key = CONCAT(l.team_id, ':internal_close_unpaid:', l.order_id) WHERE l.user_id = ?",
                String.class,
                userId);
        return Instant.ofEpochMilli(JSON.readTree(body).path("closeAt").asLong());
    }

    /** When the order row last changed (its close), to the millisecond. */
    private Instant closedAt(String userId) {
        return jdbc.queryForObject(
                        "SELECT update_time FROM group_buy_order_list WHERE user_id = ?", Timestamp.class, userId)
                .toInstant();
    }

    private int taskStatus(String webhookId) {
        return jdbc.queryForObject(
                "SELECT notify_status FROM notify_task WHERE webhook_id = ?", Integer.class, webhookId);
    }

    private Map<String, Object> record(String messageId) {
        return jdbc.queryForMap(
                "SELECT status, attempts, last_error FROM mq_consumption_record WHERE consumer = ? "
                        + "AND message_id = ?",
                CloseCheckService.CONSUMER,
                messageId);
    }

    private int recordStatus(String messageId) {
        return CloseCheckRecords.status(jdbc, messageId);
    }

    private double handled() {
        return meters.find("gbm.close.check.consumed").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private double foundLate(String kind) {
        return meters.get(TimeoutRunMeter.METER).tag("kind", kind).counter().count();
    }

    private void publish(String queue, String messageId, String body) {
        CloseCheckRecords.publish(rabbit, queue, messageId, body);
    }

    private Message awaitDead() throws InterruptedException {
        Message[] got = new Message[1];
        await(() -> (got[0] = rabbit.receive(DEAD)) != null);
        return got[0];
    }
}
