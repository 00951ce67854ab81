package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A broker outage while MQ tasks are due: our connection goes through a TCP proxy to the real RabbitMQ, and the test
 * cuts it. Every due task becomes a failed attempt (RETRY with an attempt row, backoff as HTTP), none is marked
 * delivered; once the proxy is back the job delivers all of them, each exactly once. Locks keep working meanwhile.
 */
// Binds a mall's queue on the shared broker's default exchange, where beside another class it would take that
// class's callbacks and make its unroutable keys routable.
@RunsAlone
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0", "gbm.mq.confirm-timeout=3s"})
class MqOutageIT {

    private static final TcpProxy PROXY = startProxy();
    private static final int TASKS = 20;

    @DynamicPropertySource
    static void throughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.port", PROXY::port);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        PROXY.cut();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Test
    void tasksDueWhileTheBrokerConnectionIsDownRetryAndAreAllDeliveredOnceItIsBack() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        MqTaskFixture tasks = new MqTaskFixture(jdbc, "msg_out");
        try (MallQueue mall = new MallQueue("topic.team_success")) {
            // The connection is up and used once before the outage, as in production.
            List<String> warmUp = tasks.due(batch + "w", 1);
            assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
            await(() -> mall.forTeam(warmUp.get(0)).size() == 1);

            PROXY.cut();
            List<String> teams = tasks.due(batch, TASKS);
            NotifyRunSummary during = notifyService.deliverAllDue();

            assertThat(during.claimed()).isEqualTo(TASKS);
            assertThat(during.delivered()).isZero();
            assertThat(during.retried()).isEqualTo(TASKS);
            assertThat(statuses(teams)).containsOnly(2);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_attempt WHERE success = 0", Integer.class))
                    .isEqualTo(TASKS);
            assertThat(jdbc.queryForObject(
                            "SELECT MIN(next_attempt_time) > UTC_TIMESTAMP(3) + INTERVAL 50 MINUTE "
                                    + "FROM notify_task WHERE notify_status = 2",
                            Integer.class))
                    .as("the usual 1 h backoff")
                    .isEqualTo(1);

            // Locks and settlements of an MQ mall still succeed; the team's task waits in the outbox.
            String teamId = mqTeamSettled();
            await(() -> status(teamId) == 2);
            teams.add(teamId);

            PROXY.open();
            jdbc.update(
                    "UPDATE notify_task SET next_attempt_time = ? WHERE notify_status = 2",
                    Timestamp.from(Instant.now().minusSeconds(1)));
            NotifyRunSummary after = notifyService.deliverAllDue();

            assertThat(after.delivered()).isEqualTo(TASKS + 1);
            assertThat(statuses(teams)).containsOnly(1);
            await(() -> teams.stream().allMatch(t -> mall.forTeam(t).size() == 1));
            Thread.sleep(500);
            Set<String> ids = teams.stream()
                    .flatMap(t -> mall.forTeam(t).stream())
                    .map(r -> r.properties().getMessageId())
                    .collect(Collectors.toSet());
            assertThat(ids).hasSize(TASKS + 1);
            assertThat(teams).allMatch(t -> mall.forTeam(t).size() == 1);
        }
    }

    private List<Integer> statuses(List<String> teams) {
        return teams.stream().map(this::status).toList();
    }

    private int status(String teamId) {
        return jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    private String mqTeamSettled() throws Exception {
        long activityId = 15001;
        TradeClient client = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/unused");
        String teamId = "";
        for (String user : List.of("o1", "o2", "o3")) {
            JsonNode answer = TestJson.postEnvelope(
                    port,
                    "/api/v1/gbm/trade/lock_market_pay_order",
                    "{\"userId\":\""
                            + user + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                            + ",\"goodsId\":\"g"
                            + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + user
                            + "\",\"notifyConfigVO\":{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}}");
            assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
            teamId = answer.path("data").path("teamId").asText();
        }
        for (String user : List.of("o1", "o2", "o3")) {
            assertThat(client.settle(user).path("code").asText()).isEqualTo("0000");
        }
        return teamId;
    }

    private static TcpProxy startProxy() {
        try {
            return TcpProxy.to(5672);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
