package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckPolicy;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A team's delayed close check handled in the millisecond it is due (the broker expires it on time, or the consumer's
 * wait for an early one ends there) fails the team, as its deadline says. The application's clock reads microseconds,
 * the database compares milliseconds: the team was seen as expired by the domain and refused by the guarded update
 * ({@code valid_end_time < endBefore}, bound at whole milliseconds), and the check was acknowledged as "team no longer
 * open; nothing to do", leaving the team open to the backstop job. The consumer here is the production one, built with
 * a clock stopped half a millisecond after the deadline, over the real database and Redis.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.timeout.expiry-grace=60s")
class TeamCheckOnTimeIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(15200);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    IConsumptionRecordRepository records;

    @Autowired
    IRefundRepository orders;

    @Autowired
    TradeRefundService refunds;

    @Autowired
    ITeamPlaceReservation reservation;

    @Autowired
    INotifyDispatcher dispatcher;

    @Autowired
    CloseCheckPolicy policy;

    @Autowired
    TeamPlaceReconciler placeReconciler;

    private TradeClient mall;
    /** The ids of the checks the consumer published again (none reaches the broker here). */
    private final List<String> publishedAgain = new ArrayList<>();

    @BeforeEach
    void goods() {
        mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
    }

    @Test
    void aTeamCheckHandledInTheMillisecondItIsDueFailsTheTeam() throws Exception {
        String teamId = mall.team("m1", "m2");
        mall.settle("m1");
        // The team ended a while ago, in the middle of a second (the driver would cut a bound time's milliseconds:
        // the times are written as text, as the application's own type handler writes them).
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                        + "valid_end_time = DATE_FORMAT(UTC_TIMESTAMP(3) - INTERVAL 5 MINUTE, '%Y-%m-%d %H:%i:%s.437') "
                        + "WHERE team_id = ?",
                teamId);
        Instant validEnd = jdbc.queryForObject(
                        "SELECT DATE_FORMAT(valid_end_time, '%Y-%m-%dT%H:%i:%s.%fZ') FROM group_buy_order "
                                + "WHERE team_id = ?",
                        String.class, teamId)
                .transform(Instant::parse);
        assertThat(validEnd.getNano() / 1_000_000).isEqualTo(437);
        Instant closeAt = policy.teamCloseAt(validEnd);
        CloseCheckVO check = CloseCheckVO.teamExpiry(teamId, closeAt, Duration.ofMinutes(15));

        consumerAt(closeAt.minus(500, ChronoUnit.MICROS))
                .consume("early-" + teamId, "close", check.toJson(), check, null);
        assertThat(counts.team(teamId)).as("never before its deadline").containsEntry("status", 0);
        // Its clock stopped before the deadline, the consumer's wait ends there too: the check goes back into a lane.
        assertThat(publishedAgain).containsExactly("early-" + teamId + "@" + closeAt.toEpochMilli());

        ConsumeOutcome outcome = consumerAt(closeAt.plus(500, ChronoUnit.MICROS))
                .consume("team-check-" + teamId, "close", check.toJson(), check, null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(counts.team(teamId))
                .as("failed by its check, not left open to the backstop")
                .containsEntry("status", 2)
                .containsEntry("lock_count", 1)
                .containsEntry("complete_count", 1);
        assertThat(counts.orderStatus("m2")).as("the unpaid member closed").isEqualTo(2);
        assertThat(counts.orderStatus("m1")).as("the paid member kept").isEqualTo(1);
    }

    private CloseCheckService consumerAt(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        TradeTimeoutService timeouts = new TradeTimeoutService(
                orders,
                refunds,
                reservation,
                dispatcher,
                clock,
                policy,
                Duration.ofSeconds(30),
                100,
                Duration.ofSeconds(10),
                placeReconciler,
                OutageLog.NONE,
                new RunStop());
        return new CloseCheckService(
                records, orders, refunds, timeouts, policy, clock, 3, Duration.ofSeconds(2), task -> {
                    publishedAgain.add(task.getWebhookId());
                    return new DeliveryResult(true, null, 0, null);
                });
    }
}
