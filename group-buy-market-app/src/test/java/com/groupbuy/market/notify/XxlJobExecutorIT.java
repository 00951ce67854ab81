package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.Application;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.config.xxljob.BeanOnlyXxlJobExecutorTest;
import com.groupbuy.market.support.ExecutorEndpoint;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.tag.CrowdTagFixture;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Drives the executor's own HTTP endpoint the way the XXL-Job admin console does (POST /run with the access token)
 * and checks that the callback really reaches the partner.
 */
@IntegrationTest
class XxlJobExecutorIT {

    private static final ExecutorEndpoint EXECUTOR = ExecutorEndpoint.withToken("it_token");
    private static final String TOKEN = EXECUTOR.token();
    private static final int EXECUTOR_PORT = EXECUTOR.port();
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void executor(DynamicPropertyRegistry registry) {
        EXECUTOR.register(registry);
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
        jdbc.update(
                "UPDATE notify_task SET notify_status = 2, next_attempt_time = UTC_TIMESTAMP(3) + INTERVAL 3 HOUR WHERE team_id = ?",
                teamId);

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

        assertThat(run(3, "crowdTagImportJob", TOKEN, "b-T-XXL", 0, 1)
                        .path("code")
                        .asInt())
                .isEqualTo(200);

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
        await(() -> jdbc.queryForObject("SELECT status FROM group_buy_order WHERE team_id = '90000001'", Integer.class)
                == 2);
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE order_id = '900000000001'", Integer.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE team_id = '90000001' "
                                + "AND notify_category = 'trade_unpaid2refund'",
                        Integer.class))
                .isEqualTo(1);
    }

    @Test
    void retentionJobTriggeredLikeTheAdminDeletesOldDeliveredTasksOnly() throws Exception {
        String delivered = tasks.dueTask("http://127.0.0.1:1/cb");
        String owed = tasks.dueTask("http://127.0.0.1:1/cb");
        Timestamp longAgo = Timestamp.from(Instant.now().minus(30, ChronoUnit.DAYS));
        jdbc.update(
                "UPDATE notify_task SET notify_status = 1, next_attempt_time = ? WHERE team_id = ?",
                longAgo,
                delivered);
        jdbc.update("UPDATE notify_task SET notify_status = 2, next_attempt_time = ? WHERE team_id = ?", longAgo, owed);

        assertThat(run(4, "notifyRetentionJob", TOKEN, "", 0, 1).path("code").asInt())
                .isEqualTo(200);

        await(() -> jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, delivered)
                == 0);
        assertThat(tasks.status(owed)).isEqualTo(2);
    }

    @Test
    void aShellScriptSentWithTheRightTokenIsRefusedAndNeverRuns() throws Exception {
        Path proof = Files.createTempDirectory("gbm-glue").resolve("ran");
        String body = "{\"jobId\":9,\"executorHandler\":\"\",\"executorParams\":\"\","
                + "\"executorBlockStrategy\":\"SERIAL_EXECUTION\",\"executorTimeout\":0,\"logId\":" + System.nanoTime()
                + ",\"logDateTime\":" + System.currentTimeMillis() + ",\"glueType\":\"GLUE_SHELL\","
                + "\"glueSource\":\"#!/bin/sh\\ntouch " + proof + "\\n\",\"glueUpdatetime\":"
                + System.currentTimeMillis()
                + ",\"broadcastIndex\":0,\"broadcastTotal\":1}";

        JsonNode refused = post("/run", TOKEN, body);

        assertThat(refused.path("code").asInt()).isEqualTo(500);
        assertThat(refused.path("msg").asText()).contains("GLUE_SHELL refused");
        Thread.sleep(2000); // an accepted script runs on a job thread within milliseconds
        assertThat(proof).doesNotExist();
    }

    @Test
    void theExecutorIsNotReachableOnANonLoopbackAddress() throws Exception {
        Optional<InetAddress> external = BeanOnlyXxlJobExecutorTest.nonLoopbackAddress();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback address to try");

        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(external.get(), EXECUTOR_PORT), 2000);
                    }
                })
                .isInstanceOf(ConnectException.class);
        try (Socket loopback = new Socket("127.0.0.1", EXECUTOR_PORT)) {
            assertThat(loopback.isConnected()).isTrue();
        }
    }

    @Test
    void aSecondInstanceOnTheSameExecutorPortRefusesToStartAndSaysWhy() {
        String database =
                "gbm_t_second_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        jdbc.execute("CREATE DATABASE " + database);
        try {
            // Command-line arguments, as an operator would start a second instance (they win over
            // application-test.yml).
            assertThatThrownBy(() -> new SpringApplicationBuilder(Application.class)
                            .profiles("test")
                            .run(
                                    "--server.port=0",
                                    "--xxl.job.executor.enabled=true",
                                    "--xxl.job.executor.port=" + EXECUTOR_PORT,
                                    "--xxl.job.admin.accessToken=" + TOKEN,
                                    "--gbm.redis.key-prefix=" + database + ":",
                                    "--spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                                            + IsolatedDatabaseInitializer.PARAMS,
                                    "--xxl.job.executor.logpath=" + System.getProperty("java.io.tmpdir")
                                            + "/gbm-xxl-job-it")
                            .close())
                    .hasStackTraceContaining("XXL-Job executor cannot listen on 127.0.0.1:" + EXECUTOR_PORT)
                    .hasStackTraceContaining("Each instance needs its own executor address");
        } finally {
            jdbc.execute("DROP DATABASE IF EXISTS " + database);
        }
        assertThat(tasksStillServed()).isTrue();
    }

    /** The first instance keeps its executor after the second one gave up. */
    private boolean tasksStillServed() {
        try {
            return post("/beat", TOKEN, "").path("code").asInt() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void deliverNowParameterSendsTheWaitingRetriesOfAHostNow() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        String teamId = tasks.dueTask(partner.url("/cb").toString());
        String otherHost = tasks.dueTask("http://mall-elsewhere.example/cb");
        jdbc.update(
                "UPDATE notify_task SET notify_status = 2, notify_count = 3, next_attempt_time = UTC_TIMESTAMP(3) + INTERVAL 3 HOUR "
                        + "WHERE team_id IN (?, ?)",
                teamId,
                otherHost);

        JsonNode accepted =
                run(5, "groupBuyNotifyJob", TOKEN, "host=" + partner.url("/").host(), 0, 1);

        assertThat(accepted.path("code").asInt()).isEqualTo(200);
        await(() -> tasks.status(teamId) == 1);
        assertThat(tasks.status(otherHost)).isEqualTo(2);
        assertThat(tasks.count(teamId)).isEqualTo(4);
    }

    /**
     * A shard index outside the shard total names no task ({@code MOD(id, total) = index} never holds): the run used to
     * report success with nothing claimed while the shard's callbacks and timeouts waited. Now it is refused, and the
     * run's log (what the console shows) says so.
     */
    @Test
    void aShardIndexOutsideTheShardTotalFailsTheRunAndRunsNothing() throws Exception {
        String teamId = tasks.dueTask(partner.url("/cb").toString());
        int[][] shards = {{1, 1}, {2, 2}, {-1, 2}};
        for (int[] shard : shards) {
            for (String handler : List.of("groupBuyNotifyJob", "groupBuyTimeoutCloseJob")) {
                long logId = System.nanoTime();
                long logTime = System.currentTimeMillis();
                int jobId = handler.equals("groupBuyNotifyJob") ? 1 : 2;
                assertThat(run(jobId, handler, TOKEN, "", shard[0], shard[1], logId, logTime)
                                .path("code")
                                .asInt())
                        .isEqualTo(200);
                String what = handler + " shard " + shard[0] + "/" + shard[1];
                await(() -> runLog(logId, logTime).contains("execute end"));
                assertThat(runLog(logId, logTime))
                        .as(what)
                        .contains("refused: shard index " + shard[0])
                        .contains("handleCode=500");
            }
        }
        assertThat(tasks.status(teamId)).isZero();
        assertThat(partner.getRequestCount()).isZero();
    }

    /** The run's job log as the console reads it ({@code /log}); empty while it cannot be read. */
    private String runLog(long logId, long logTime) {
        try {
            return post("/log", TOKEN, "{\"logDateTim\":" + logTime + ",\"logId\":" + logId + ",\"fromLineNum\":1}")
                    .path("content")
                    .path("logContent")
                    .asText();
        } catch (Exception e) {
            return "";
        }
    }

    private JsonNode post(String path, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXECUTOR_PORT + path))
                        .header("Content-Type", "application/json")
                        .header("XXL-JOB-ACCESS-TOKEN", token)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private JsonNode run(String token, String param, int shardIndex, int shardTotal) throws Exception {
        return run(1, "groupBuyNotifyJob", token, param, shardIndex, shardTotal);
    }

    // One job id per handler: the executor replaces a job's thread when its handler changes.
    private JsonNode run(int jobId, String handler, String token, String param, int shardIndex, int shardTotal)
            throws Exception {
        return run(jobId, handler, token, param, shardIndex, shardTotal, System.nanoTime(), System.currentTimeMillis());
    }

    private JsonNode run(
            int jobId,
            String handler,
            String token,
            String param,
            int shardIndex,
            int shardTotal,
            long logId,
            long logDateTime)
            throws Exception {
        String body = "{\"jobId\":" + jobId + ",\"executorHandler\":\"" + handler + "\",\"executorParams\":\"" + param
                + "\","
                + "\"executorBlockStrategy\":\"SERIAL_EXECUTION\",\"executorTimeout\":0,\"logId\":" + logId
                + ",\"logDateTime\":" + logDateTime + ",\"glueType\":\"BEAN\",\"glueSource\":\"\","
                + "\"glueUpdatetime\":0,\"broadcastIndex\":" + shardIndex + ",\"broadcastTotal\":" + shardTotal + "}";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXECUTOR_PORT + "/run"))
                        .header("Content-Type", "application/json")
                        .header("XXL-JOB-ACCESS-TOKEN", token)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
