package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.ProxiedDatabase;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TradeClient;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * An unpaid close (a close check's, the timeout job's) whose COMMIT reaches MariaDB and commits while its answer is
 * lost and the connection cut, so the outcome cannot be read back: the close throws and gives nothing back in Redis.
 * The next step that reads the order closed — the check's redelivery, the job's next run — gives its place back, once,
 * so the team's last joiner gets the place the database has (before: E0008 until the refund event or the
 * reconciler). The checks are handed to the app's own close-check consumer service directly (the lanes' own checks
 * are an hour away), so the test decides when a redelivery comes; no compensation run relays the refund events here.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@ContextConfiguration(initializers = ProxiedDatabase.class)
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=1h",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.backstop-margin=2s"
        })
class CloseCommitLostIT {

    private static final TcpProxy PROXY = ProxiedDatabase.PROXY;
    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_closelost_");
    /** The unpaid close's closeOrder statement (as UnpaidRefundCommitLostIT): in no other transaction here. */
    private static final String CLOSE_STATEMENT = "biz_id = NULL";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
    }

    @AfterAll
    static void dropBrokerObjects() {
        QUEUES.delete(QUEUES.lane("3600s"), QUEUES.lane("960s"));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    CloseCheckService closeChecks;

    @Autowired
    TradeTimeoutService timeouts;

    @Test
    void aCloseChecksRedeliveryAfterAnUnknowableCloseGivesThePlaceBackOnce() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19511, "http://127.0.0.1:1/cb");
        String teamId = mall.team("ka1", "kb1");
        // kb1 is due by the database (an hour's timeout, its lock two hours old): the consumer closes by the row's lock
        // time, never by the deadline the check names.
        jdbc.update(
                "UPDATE group_buy_order_list SET create_time = create_time - INTERVAL 2 HOUR WHERE user_id = 'kb1'");
        CloseCheckVO check = new CloseCheckVO(
                CloseCheckVO.Kind.UNPAID_ORDER,
                teamId,
                orderId("kb1"),
                Instant.now().minusSeconds(1),
                Duration.ofHours(1));
        String messageId = "msg_lost_" + QUEUES.suffix();

        Object first = losingTheCommitAndTheConnection(
                () -> closeChecks.consume(messageId, QUEUES.queue(), "{}", check, null));

        assertThat(counts.orderStatus("kb1"))
                .as("the close committed (first %s)", first)
                .isEqualTo(2);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        ConsumeOutcome again = closeChecks.consume(messageId, QUEUES.queue(), "{}", check, null);
        assertThat(again.action()).as("the redelivery (first %s)", first).isNotEqualTo(ConsumeOutcome.Action.RETRY);
        assertThat(counts.redisPlaces(teamId))
                .as("Redis places after the redelivery (first %s, again %s)", first, again)
                .isEqualTo(1);
        ConsumeOutcome third = closeChecks.consume(messageId, QUEUES.queue(), "{}", check, null);
        assertThat(counts.redisPlaces(teamId))
                .as("a third delivery (%s) gives nothing more", third)
                .isEqualTo(1);
        theTeamsLastPlacesAreTaken(mall, teamId, "kc1", "kd1");
    }

    @Test
    void theTimeoutJobsNextRunAfterAnUnknowableCloseGivesThePlaceBackOnce() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19512, "http://127.0.0.1:1/cb");
        String teamId = mall.team("ja1", "jb1");
        // Only jb1 is overdue (an hour's timeout, its lock two hours old).
        jdbc.update(
                "UPDATE group_buy_order_list SET create_time = create_time - INTERVAL 2 HOUR WHERE user_id = 'jb1'");

        Object first = losingTheCommitAndTheConnection(() -> timeouts.execTimeoutCloseJob());

        assertThat(counts.orderStatus("jb1"))
                .as("the close committed (first %s)", first)
                .isEqualTo(2);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        TimeoutRunSummary next = timeouts.execTimeoutCloseJob();
        assertThat(next.closedUnpaid()).as("nothing left to close").isZero();
        assertThat(counts.redisPlaces(teamId))
                .as("Redis places after the next run (first %s, next %s)", first, next)
                .isEqualTo(1);
        timeouts.execTimeoutCloseJob();
        assertThat(counts.redisPlaces(teamId))
                .as("a third run gives nothing more")
                .isEqualTo(1);
        theTeamsLastPlacesAreTaken(mall, teamId, "jc1", "jd1");
    }

    /** The team (3 places) has two left in the database: both joiners get one, and Redis counts three. */
    private void theTeamsLastPlacesAreTaken(TradeClient mall, String teamId, String joiner, String lastJoiner)
            throws Exception {
        assertThat(mall.lock(joiner, teamId).path("code").asText()).isEqualTo("0000");
        assertThat(mall.lock(lastJoiner, teamId).path("code").asText())
                .as("the team's last place, which the database has")
                .isEqualTo("0000");
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
    }

    private Object losingTheCommitAndTheConnection(Supplier<Object> close) throws InterruptedException {
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswerAndCut(CLOSE_STATEMENT);
        Object answer;
        try {
            answer = close.get();
        } catch (RuntimeException e) {
            answer = e.toString();
        } finally {
            try {
                PROXY.open();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ProxiedDatabase.awaitReachable(jdbc);
        }
        assertThat(PROXY.commitAnswersLost())
                .as("the close's commit answer was lost (%s)", answer)
                .isEqualTo(lostBefore + 1);
        return answer;
    }

    private String orderId(String userId) {
        return jdbc.queryForObject("SELECT order_id FROM group_buy_order_list WHERE user_id = ?", String.class, userId);
    }
}
