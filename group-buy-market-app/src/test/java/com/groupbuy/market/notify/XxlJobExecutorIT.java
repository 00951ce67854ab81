package com.groupbuy.market.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.tag.CrowdTagFixture;
import static com.groupbuy.market.support.TestJson.await;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the executor's own HTTP endpoint the way the XXL-Job admin console does (POST /run with the access token)
 * and checks that the callback really reaches the partner.
 */
@IntegrationTest
class XxlJobExecutorIT {

    private static final String TOKEN = "it_token";
    private static final int EXECUTOR_PORT = freePort();
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void executor(DynamicPropertyRegistry registry) {
        registry.add("xxl.job.executor.enabled", () -> "true");
        registry.add("xxl.job.executor.port", () -> EXECUTOR_PORT);
        registry.add("xxl.job.admin.accessToken", () -> TOKEN);
        registry.add("xxl.job.executor.logpath", () -> System.getProperty("java.io.tmpdir") + "/gbm-xxl-job-it");
    }

    @Autowired
    JdbcTemplate jdbc;

    private MockWebServer partner;
    private NotifyTaskFixture tasks;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        partner = new MockWebServer();
        partner.start();
        tasks = new NotifyTaskFixture(jdbc);
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void runTriggeredLikeTheAdminDeliversDueTasks() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        String teamId = tasks.dueTask(partner.url("/cb").toString());

        JsonNode accepted = run(TOKEN, "", 0, 1);

        assertThat(accepted.path("code").asInt()).isEqualTo(200);
        await(() -> tasks.status(teamId) == 1);
        assertThat(partner.getRequestCount()).isEqualTo(1);
    }

    @Test
    void teamParameterReDrivesThatTeamNow() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        String teamId = tasks.dueTask(partner.url("/cb").toString());
        jdbc.update("UPDATE notify_task SET notify_status = 2, next_attempt_time = UTC_TIMESTAMP(3) + INTERVAL 3 HOUR WHERE team_id = ?", teamId);

        assertThat(run(TOKEN, teamId, 0, 1).path("code").asInt()).isEqualTo(200);

        await(() -> tasks.status(teamId) == 1);
    }

    @Test
    void wrongTokenIsRefusedAndRunsNothing() throws Exception {
        String teamId = tasks.dueTask(partner.url("/cb").toString());

        JsonNode refused = run("wrong", "", 0, 1);

        assertThat(refused.path("code").asInt()).isEqualTo(500);
        assertThat(refused.path("msg").asText()).contains("token");
        Thread.sleep(500);
        assertThat(tasks.status(teamId)).isZero();
        assertThat(partner.getRequestCount()).isZero();
    }

    @Test
    void crowdTagImportJobLoadsTheBatchNamedByItsParameter() throws Exception {
        CrowdTagFixture tags = new CrowdTagFixture(jdbc);
        tags.tag("T-XXL", List.of("x1", "x2", "x3"));

        assertThat(run(3, "crowdTagImportJob", TOKEN, "b-T-XXL", 0, 1).path("code").asInt()).isEqualTo(200);

        await(() -> tags.jobStatus("b-T-XXL") == 1);
        assertThat(tags.statistics("T-XXL")).isEqualTo(3);
    }

    @Test
    void timeoutCloseJobTriggeredLikeTheAdminFailsAnExpiredTeamAndClosesItsUnpaidLock() throws Exception {
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        fixture.team("90000001", 90001, "late", 1, 0, 0, Instant.now().minus(5, ChronoUnit.MINUTES));
        fixture.member("90000001", 90001, "late", "900000000001", "out-late", 0);

        JsonNode accepted = run(2, "groupBuyTimeoutCloseJob", TOKEN, "", 0, 1);

        assertThat(accepted.path("code").asInt()).isEqualTo(200);
        await(() -> jdbc.queryForObject("SELECT status FROM group_buy_order WHERE team_id = '90000001'", Integer.class) == 2);
        assertThat(jdbc.queryForObject("SELECT status FROM group_buy_order_list WHERE order_id = '900000000001'",
                Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = '90000001' "
                + "AND notify_category = 'trade_unpaid2refund'", Integer.class)).isEqualTo(1);
    }

    @Test
    void retentionJobTriggeredLikeTheAdminDeletesOldDeliveredTasksOnly() throws Exception {
        String delivered = tasks.dueTask("http://127.0.0.1:1/cb");
        String owed = tasks.dueTask("http://127.0.0.1:1/cb");
        Timestamp longAgo = Timestamp.from(Instant.now().minus(30, ChronoUnit.DAYS));
        jdbc.update("UPDATE notify_task SET notify_status = 1, next_attempt_time = ? WHERE team_id = ?", longAgo,
                delivered);
        jdbc.update("UPDATE notify_task SET notify_status = 2, next_attempt_time = ? WHERE team_id = ?", longAgo,
                owed);

        assertThat(run(4, "notifyRetentionJob", TOKEN, "", 0, 1).path("code").asInt()).isEqualTo(200);

        await(() -> jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class,
                delivered) == 0);
        assertThat(tasks.status(owed)).isEqualTo(2);
    }

    private JsonNode run(String token, String param, int shardIndex, int shardTotal) throws Exception {
        return run(1, "groupBuyNotifyJob", token, param, shardIndex, shardTotal);
    }

    // One job id per handler: the executor replaces a job's thread when its handler changes.
    private JsonNode run(int jobId, String handler, String token, String param, int shardIndex, int shardTotal)
            throws Exception {
        String body = "{\"jobId\":" + jobId + ",\"executorHandler\":\"" + handler + "\",\"executorParams\":\"" + param + "\","
                + "\"executorBlockStrategy\":\"SERIAL_EXECUTION\",\"executorTimeout\":0,\"logId\":" + System.nanoTime()
                + ",\"logDateTime\":" + System.currentTimeMillis() + ",\"glueType\":\"BEAN\",\"glueSource\":\"\","
                + "\"glueUpdatetime\":0,\"broadcastIndex\":" + shardIndex + ",\"broadcastTotal\":" + shardTotal + "}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXECUTOR_PORT + "/run"))
                        .header("Content-Type", "application/json").header("XXL-JOB-ACCESS-TOKEN", token)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }


    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
