package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * MQ switched off (gbm.mq.enabled=false) and no refund URL subscribed: MQ locks answer E0203 as before the channel
 * existed; an HTTP partner's refund is not POSTed to its team-success URL; MQ tasks already owed wait.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.mq.enabled=false", "gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0"})
class MqDisabledIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Test
    void anMqLockAnswersE0203AndWritesNothing() throws Exception {
        TradeClient.onNewGoods(port, jdbc, 16001, "http://127.0.0.1:9/unused");
        JsonNode answer = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"q1\","
                        + "\"teamId\":\"\",\"activityId\":16001,\"goodsId\":\"g16001\",\"source\":\"s01\",\"channel\":\"c01\","
                        + "\"outTradeNo\":\"out-q1\",\"notifyConfigVO\":{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}}");

        assertThat(answer.path("code").asText()).isEqualTo("E0203");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = 'q1'", Integer.class))
                .isZero();
    }

    @Test
    void anHttpPartnerWithoutARefundUrlGetsNoRefundAtItsTeamSuccessUrl() throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16002, partner.url());
            String teamId = mall.team("h1", "h2");
            mall.settle("h1");

            assertThat(mall.refund("h1").path("data").path("code").asText()).isEqualTo("success");
            assertThat(mall.refund("h2").path("data").path("code").asText()).isEqualTo("success");

            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, teamId))
                    .as("no channel subscribed for refunds: no task")
                    .isZero();
            Thread.sleep(300);
            assertThat(partner.callbacksFor("out-h1")).isEmpty();
            assertThat(partner.callbacksFor("out-h2")).isEmpty();
        }
    }

    @Test
    void anMqTaskOwedFromBeforeWaitsAsAFailedAttempt() {
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                        + "notify_type, notify_mq, notify_count, notify_status, parameter_json, next_attempt_time) VALUES "
                        + "('66660001:trade_settlement', 'msg_off1', 1, '66660001', 's01', 'c01', 'trade_settlement', 'MQ', "
                        + "'topic.team_success', 0, 0, '{\"teamId\":\"66660001\",\"outTradeNoList\":[\"o1\"]}', ?)",
                Timestamp.from(Instant.now().minusSeconds(1)));

        NotifyRunSummary run = notifyService.deliverAllDue();

        assertThat(run.retried()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = '66660001'", String.class))
                .contains("MQ channel switched off");
    }
}
