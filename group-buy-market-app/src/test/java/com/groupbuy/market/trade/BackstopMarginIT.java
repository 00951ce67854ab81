package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TradeClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code gbm.close-check.backstop-margin} written negative ({@code -20m}, an operator's "20 minutes earlier"). The
 * timeout job takes what is overdue by more than the margin, so on main every run of an instance started with it
 * failed teams still inside their 15-minute validity: a team opened and paid a moment before was failed, its paid
 * buyer's order refunded. A margin that closes before the deadline now stops the instance at start, naming it.
 */
@IntegrationTest
class BackstopMarginIT {

    private static final long ACTIVITY = 58_301;
    /** The delay path must be on for the margin to be read (on main); on queues of this class's own. */
    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_margin_");

    @Autowired
    Environment environment;

    @Autowired
    JdbcTemplate jdbc;

    @AfterAll
    static void deleteQueues() {
        // The lane a 15-minute team's check would use on main (the team's validity plus the 60 s expiry grace).
        QUEUES.delete(QUEUES.lane("960s"));
    }

    @Test
    void aNegativeMarginRefusesToStartInsteadOfFailingTeamsInsideTheirValidity() {
        Map<String, Object> closedEarly = new LinkedHashMap<>();
        Throwable refused = catchThrowable(() -> {
            try (SecondInstance instance = SecondInstance.like(
                    environment,
                    "gbm.close-check.enabled=true",
                    "gbm.close-check.queue=" + QUEUES.queue(),
                    "gbm.close-check.dead-letter-queue=" + QUEUES.deadLetter(),
                    "gbm.close-check.lane-prefix=" + QUEUES.lanePrefix(),
                    "gbm.close-check.backstop-margin=-20m")) {
                TradeClient mall = TradeClient.onNewGoods(instance.port(), jdbc, ACTIVITY, "http://127.0.0.1:9/cb");
                String teamId = mall.team("bm1");
                closedEarly.put("settlement", mall.settle("bm1").path("code").asText());
                closedEarly.put("run", instance.bean(TradeTimeoutService.class).execTimeoutCloseJob());
                closedEarly.put(
                        "team",
                        jdbc.queryForMap(
                                "SELECT status, valid_end_time FROM group_buy_order WHERE team_id = ?", teamId));
                closedEarly.put(
                        "order",
                        jdbc.queryForObject(
                                "SELECT status FROM group_buy_order_list WHERE user_id = 'bm1'", Integer.class));
            }
        });
        assertThat(closedEarly)
                .as("what an instance with a negative backstop margin did to a team inside its validity")
                .isEmpty();
        assertThat(refused)
                .hasStackTraceContaining("gbm.close-check.backstop-margin must be zero or positive")
                .hasStackTraceContaining("got PT-20M");
    }
}
