package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.ConcurrentBurst;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Redis restarts (killed, started again empty) while the service is up. Once Redis answers again, partners are
 * answered normally: the client's pool still holds connections the old server closed, and a command that meets one
 * is sent again on a live connection within the same request instead of costing the partner a 503 E0401 (and, three
 * in a row, opening the Redis breaker for everyone). The service is not asked first: the test waits only until Redis
 * answers one PING from a plain socket of its own, then sends a burst of locks and trials at once.
 */
@IntegrationTest
@PrivateRedisServer
class RedisRestartIT {

    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final long ACTIVITY = 27_100;
    private static final int TARGET = 3;

    @Autowired
    PrivateRedis redis;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void onceRedisAnswersAgainAfterARestartEveryRequestOfABurstIsAnsweredNormally() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY, "http://127.0.0.1:1/cb");
        int teamsWanted = 8;
        List<String> teams = new ArrayList<>();
        for (int t = 0; t < teamsWanted; t++) {
            teams.add(mall.team("w" + t));
        }
        // The pool is in use before the restart: its connections have carried commands to the old server.
        assertThat(burst(mall, teams, "before", false))
                .as("answers before the restart")
                .containsOnlyKeys("0000");

        redis.kill();
        redis.startAgain();
        redis.awaitOnePong();

        Map<String, Integer> answers = burst(mall, teams, "after", true);
        System.out.println("answers of the burst right after Redis answered again: " + answers);
        assertThat(answers.keySet())
                .as("every request answered normally (0000 or a business refusal), none E0401: %s", answers)
                .isSubsetOf("0000", "E0005", "E0006", "E0008");
        for (String teamId : teams) {
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status <> 2",
                            Integer.class,
                            teamId))
                    .as("team %s live members", teamId)
                    .isLessThanOrEqualTo(TARGET);
            assertThat(jdbc.queryForObject(
                            "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                    .as("team %s lock_count", teamId)
                    .isLessThanOrEqualTo(TARGET);
        }
    }

    /**
     * 40 requests from 8 threads at once, per team: with {@code joins} three joiners racing for its two free places
     * (the place scripts), a new team and a trial; without, two new teams and three trials. The codes answered and
     * how often; an HTTP 503 counts as its code (E0401).
     */
    private Map<String, Integer> burst(TradeClient mall, List<String> teams, String round, boolean joins)
            throws Exception {
        List<String[]> requests = new ArrayList<>();
        for (int t = 0; t < teams.size(); t++) {
            requests.add(new String[] {LOCK, lockBody(round + "n" + t, "")});
            requests.add(new String[] {TRIAL, trialBody(round + "t" + t)});
            for (int j = 0; j < 3; j++) {
                requests.add(
                        joins
                                ? new String[] {LOCK, lockBody(round + "j" + t + "x" + j, teams.get(t))}
                                : j == 0
                                        ? new String[] {LOCK, lockBody(round + "m" + t, "")}
                                        : new String[] {TRIAL, trialBody(round + "u" + t + "x" + j)});
            }
        }
        List<Callable<String>> sends = new ArrayList<>();
        for (String[] request : requests) {
            sends.add(() -> {
                HttpResponse<String> answer = TestJson.post(port, request[0], request[1]);
                JsonNode body = TestJson.JSON.readTree(answer.body());
                assertThat(TestJson.fields(body)).as(answer.body()).containsExactly("code", "info", "data");
                String code = body.path("code").asText();
                if (answer.statusCode() != 200) {
                    assertThat(code).as(answer.body()).isEqualTo("E0401");
                }
                return code;
            });
        }
        return ConcurrentBurst.answers(8, sends);
    }

    private static String lockBody(String userId, String teamId) {
        return "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + ACTIVITY
                + ",\"goodsId\":\"g" + ACTIVITY + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-"
                + userId + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}";
    }

    private static String trialBody(String userId) {
        return "{\"userId\":\"" + userId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g" + ACTIVITY
                + "\"}";
    }
}
