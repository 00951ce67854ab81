package com.groupbuy.market.ops;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.XxlConsoleStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A console that refuses our token (a real HTTP server answering {@code POST <admin>/api/registry} the way the
 * XXL-Job admin does for a wrong token): health says so, an ERROR says why, and callback retries go on through the
 * local scheduler instead of stopping.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class XxlJobConsoleIT {

    private static final String TOKEN = "it-console-token-0123456789";
    private static final int EXECUTOR_PORT = AppProcess.freePort();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<RecordedRequest> CONSOLE_CALLS = new CopyOnWriteArrayList<>();
    private static final MockWebServer CONSOLE = console();

    @DynamicPropertySource
    static void executor(DynamicPropertyRegistry registry) {
        registry.add("xxl.job.executor.enabled", () -> "true");
        registry.add("xxl.job.executor.port", () -> EXECUTOR_PORT);
        registry.add("xxl.job.admin.accessToken", () -> TOKEN);
        registry.add(
                "xxl.job.admin.addresses", () -> CONSOLE.url("/xxl-job-admin").toString());
        registry.add("xxl.job.executor.logpath", () -> System.getProperty("java.io.tmpdir") + "/gbm-xxl-console-it");
        registry.add("gbm.xxl-job.registry-interval", () -> "1s");
        registry.add("gbm.notify.local-scheduler-enabled", () -> "true");
        registry.add("gbm.notify.local-scheduler-delay", () -> "300ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private NotifyTaskFixture tasks;

    @BeforeEach
    void setUp() {
        tasks = new NotifyTaskFixture(jdbc);
    }

    @AfterAll
    static void stopConsole() {
        CONSOLE.close();
    }

    // First: the registration ERROR is logged at start-up or during this test, both of which its capture sees (a
    // line logged while another test runs is captured for that test only).
    @Test
    @Order(1)
    void aConsoleRefusingOurTokenTakesTheExecutorOutOfServiceAndAnErrorSaysWhy(CapturedOutput output) throws Exception {
        await(() -> registryCalls() > 0);

        RecordedRequest registry = CONSOLE_CALLS.stream()
                .filter(r -> r.getTarget().endsWith("/api/registry"))
                .findFirst()
                .orElseThrow();
        assertThat(registry.getHeaders().get("XXL-JOB-ACCESS-TOKEN")).isEqualTo(TOKEN);
        JsonNode param = JSON.readTree(registry.getBody().utf8());
        assertThat(param.path("registryKey").asText()).isEqualTo("group-buy-market-executor");
        assertThat(param.path("registryValue").asText()).isEqualTo("http://127.0.0.1:" + EXECUTOR_PORT + "/");

        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode executor = body.path("components").path("xxlJob");
        assertThat(executor.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(executor.path("details").path("registration").asText()).contains("The access token is wrong.");
        assertThat(output.getAll())
                .containsPattern("ERROR.*cannot register as http://127.0.0.1:" + EXECUTOR_PORT
                        + "/ with its console \\(The access token is wrong\\.\\)");
        assertThat(output.getAll()).doesNotContain(TOKEN);
        HttpResponse<String> traffic = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/traffic"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(traffic.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(traffic.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void callbackRetriesGoOnThroughTheLocalSchedulerWhileTheConsoleRefusesUs() throws Exception {
        try (MockWebServer partner = new MockWebServer()) {
            partner.start();
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            String teamId = tasks.dueTask(partner.url("/cb").toString());

            await(() -> tasks.status(teamId) == 1);

            assertThat(partner.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void aRunTheConsoleTriggersIsReportedBackToIt() throws Exception {
        String body = "{\"jobId\":77,\"executorHandler\":\"groupBuyNotifyJob\",\"executorParams\":\"\","
                + "\"executorBlockStrategy\":\"SERIAL_EXECUTION\",\"executorTimeout\":0,\"logId\":" + System.nanoTime()
                + ",\"logDateTime\":" + System.currentTimeMillis() + ",\"glueType\":\"BEAN\",\"glueSource\":\"\","
                + "\"glueUpdatetime\":0,\"broadcastIndex\":0,\"broadcastTotal\":1}";
        HttpResponse<String> accepted = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXECUTOR_PORT + "/run"))
                        .header("XXL-JOB-ACCESS-TOKEN", TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(JSON.readTree(accepted.body()).path("code").asInt()).isEqualTo(200);
        await(() -> CONSOLE_CALLS.stream().anyMatch(r -> r.getTarget().equals("/xxl-job-admin/api/callback")));
    }

    private static long registryCalls() {
        return CONSOLE_CALLS.stream()
                .filter(r -> r.getTarget().endsWith("/api/registry"))
                .count();
    }

    /** Answers as the XXL-Job admin does when the executor's token is not its own. */
    private static MockWebServer console() {
        return XxlConsoleStub.answering("{\"code\":500,\"msg\":\"The access token is wrong.\"}", CONSOLE_CALLS::add);
    }
}
