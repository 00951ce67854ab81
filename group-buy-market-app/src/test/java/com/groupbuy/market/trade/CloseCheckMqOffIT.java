package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.trigger.job.TimeoutRunMeter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An MQ-off deployment (#15): locks write no close checks and never fail for want of a broker; the polling job closes
 * on time by itself (no backstop margin, nothing counted as found late), and a partner's payment grace holds for it.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.mq.enabled=false",
            "gbm.close-check.enabled=true",
            "gbm.timeout.unpaid-timeout=1s",
            "gbm.close-check.backstop-margin=1h",
            "gbm.close-check.payment-grace.s02.c02=1h"
        })
class CloseCheckMqOffIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeoutService;

    @Autowired
    MeterRegistry meters;

    @Test
    void withMqOffLocksWriteNoCheckAndThePollingJobClosesOnTime() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9301, "http://127.0.0.1:9/callback");
        String teamId = mall.team("m1");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE notify_type = 'DELAY'", Integer.class))
                .isZero();
        Thread.sleep(1_200);
        TimeoutRunSummary run = timeoutService.execTimeoutCloseJob();

        assertThat(run.closedUnpaid())
                .as("closed at its timeout: the 1 h backstop margin is for the delay path only")
                .isEqualTo(1);
        assertThat(run.foundLate()).isZero();
        assertThat(meters.get(TimeoutRunMeter.METER)
                        .tag("kind", "order")
                        .counter()
                        .count())
                .as("closing on time without a delay path is not late")
                .isZero();
        assertThat(counts.orderStatus("m1")).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isZero();
    }

    @Test
    void aPartnersPaymentGraceKeepsItsLockOpenPastTheTimeout() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9302, "http://127.0.0.1:9/callback");
        mall.team("g1");
        jdbc.update("UPDATE group_buy_order SET source = 's02', channel = 'c02' WHERE activity_id = 9302");
        Thread.sleep(1_200);

        timeoutService.execTimeoutCloseJob();
        assertThat(counts.orderStatus("g1")).as("s02/c02 has an hour's grace").isEqualTo(0);

        jdbc.update("UPDATE group_buy_order_list SET create_time = create_time - INTERVAL 2 HOUR WHERE user_id = 'g1'");
        timeoutService.execTimeoutCloseJob();
        assertThat(counts.orderStatus("g1")).as("past timeout + grace").isEqualTo(2);
    }
}
