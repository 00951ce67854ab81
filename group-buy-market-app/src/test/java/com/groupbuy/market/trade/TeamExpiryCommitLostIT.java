package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.ProxiedDatabase;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A team expiry's COMMIT reaches MariaDB and commits (team failed, unpaid orders closed, every member's refund callback
 * written), but its answer is lost (the proxy closes the connection instead of passing the OK on). An expiry that
 * committed is counted done, never a skip; its closed orders' places are given back in Redis as in the database; every
 * member is told at once and once; and the next run finds nothing more to do. Through the timeout job and through a
 * team's close check (which both call the same expiry).
 */
@IntegrationTest
@ContextConfiguration(initializers = ProxiedDatabase.class)
@TestPropertySource(properties = "gbm.timeout.expiry-grace=60s")
class TeamExpiryCommitLostIT {

    private static final TcpProxy PROXY = ProxiedDatabase.PROXY;
    /** The expiry's locking read of its members (IGroupBuyRefundDao.lockLiveMembers): in no other transaction. */
    private static final String EXPIRY_STATEMENT = "FORCE INDEX (idx_team)";
    /** Where members of a failed team are told (gbm.notify.refund-urls); delivered only if handed over at once. */
    private static final PartnerReceiver REFUNDS = PartnerReceiver.startOrFail();

    @DynamicPropertySource
    static void refundUrl(DynamicPropertyRegistry registry) {
        registry.add("gbm.notify.refund-urls.s01.c01", REFUNDS::url);
    }

    @AfterAll
    static void closeRefundReceiver() {
        REFUNDS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeouts;

    @Test
    void theJobCountsAnExpiryWhoseCommitAnswerIsLostAsDoneAndGivesItsPlacesBack() throws Exception {
        String teamId = halfPaidTeamPastItsEnd(19401, "j");

        expireLosingTheCommitAnswer(
                teamId, "j", () -> timeouts.execTimeoutCloseJob(), new TimeoutRunSummary(1, 2, 0), soft -> {
                    TimeoutRunSummary again = timeouts.execTimeoutCloseJob();
                    soft.assertThat(again).as("the next run").isEqualTo(new TimeoutRunSummary(0, 0, 0));
                });
    }

    @Test
    void aCloseCheckWhoseExpiryCommitAnswerIsLostIsAnsweredDoneAndGivesItsPlacesBack() throws Exception {
        String teamId = halfPaidTeamPastItsEnd(19402, "c");

        expireLosingTheCommitAnswer(
                teamId,
                "c",
                () -> timeouts.expireTeamNow(teamId),
                true,
                soft -> soft.assertThat(timeouts.expireTeamNow(teamId))
                        .as("the check redelivered")
                        .isFalse());
    }

    /** Members p1 (paid), p2 and p3 (locked, unpaid) of a team of three that ended two minutes ago (grace 60 s). */
    private String halfPaidTeamPastItsEnd(long activityId, String p) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:1/cb");
        String teamId = mall.team(p + "1", p + "2", p + "3");
        assertThat(mall.settle(p + "1").path("code").asText()).isEqualTo("0000");
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                        + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 2 MINUTE WHERE team_id = ?",
                teamId);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
        return teamId;
    }

    private void expireLosingTheCommitAnswer(
            String teamId, String p, Supplier<Object> expire, Object answeredWhenDone, Consumer<SoftAssertions> again) {
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswers(EXPIRY_STATEMENT, 1);

        Object answer;
        try {
            answer = expire.get();
        } catch (RuntimeException e) {
            answer = e.toString();
        }

        assertThat(PROXY.commitAnswersLost())
                .as("the expiry's commit answer was lost")
                .isEqualTo(lostBefore + 1);
        assertThat(counts.team(teamId))
                .as("the expiry committed")
                .containsEntry("status", 2)
                .containsEntry("lock_count", 1)
                .containsEntry("complete_count", 1);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(answer).as("the expiry answered").isEqualTo(answeredWhenDone);
        soft.assertThat(counts.redisPlaces(teamId))
                .as("Redis places (lock_count 1)")
                .isEqualTo(1);
        soft.assertThat(told(p, 10_000))
                .as("members told at once (no compensation run in tests)")
                .containsExactly(1, 1, 1);

        again.accept(soft);
        soft.assertThat(counts.redisPlaces(teamId))
                .as("Redis places after again")
                .isEqualTo(1);
        // Each member's refund goes to the partner's URL (HTTP) and to our refund event (MQ): one task each.
        soft.assertThat(counts.tasks(teamId, "trade_paid2refund", "HTTP"))
                .as("paid member's callbacks")
                .isEqualTo(1);
        soft.assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP"))
                .as("unpaid members' callbacks")
                .isEqualTo(2);
        soft.assertThat(counts.tasks(teamId, "trade_paid2refund") + counts.tasks(teamId, "trade_unpaid2refund"))
                .as("callbacks, both channels")
                .isEqualTo(6);
        sleep(500); // a second delivery, if any, has time to arrive
        soft.assertThat(told(p, 0)).as("each member told once").containsExactly(1, 1, 1);
        soft.assertAll();
    }

    /** Callbacks received for p1, p2, p3, once each has one or {@code waitMillis} passed. */
    private static List<Integer> told(String p, long waitMillis) {
        long deadline = System.currentTimeMillis() + waitMillis;
        List<Integer> told;
        do {
            told = List.of(1, 2, 3).stream()
                    .map(i -> REFUNDS.callbacksFor("out-" + p + i).size())
                    .toList();
            if (!told.contains(0)) {
                return told;
            }
            sleep(50);
        } while (System.currentTimeMillis() < deadline);
        return told;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
