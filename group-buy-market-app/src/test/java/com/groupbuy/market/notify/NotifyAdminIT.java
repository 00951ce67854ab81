package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** Operators list tasks, read attempts and re-drive a failed task to success; metrics show deliveries and backlog. */
@IntegrationTest
@TestPropertySource(properties = {"gbm.admin.token=it-admin", "gbm.notify.backoff=1h"})
class NotifyAdminIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

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
    void failedTaskIsListedShowsItsAttemptsAndARedriveDeliversIt() throws Exception {
        String teamId = failedTask();
        long taskId = taskId(teamId);
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());

        JsonNode failed = call("GET", "/api/v1/gbm/admin/notify/tasks?status=3&teamId=" + teamId, "it-admin", 200);
        JsonNode attempts = call("GET", "/api/v1/gbm/admin/notify/tasks/" + taskId + "/attempts", "it-admin", 200);
        JsonNode redriven = call("POST", "/api/v1/gbm/admin/notify/tasks/" + taskId + "/redrive", "it-admin", 200);
        notifyService.deliverAllDue();

        assertThat(failed.path("data")).hasSize(1);
        assertThat(failed.path("data").get(0).path("id").asLong()).isEqualTo(taskId);
        assertThat(attempts.path("data")).hasSize(2);
        assertThat(attempts.path("data").get(0).path("httpStatus").asInt()).isEqualTo(500);
        assertThat(redriven.path("data").path("notifyStatus").asInt()).isEqualTo(2);
        assertThat(tasks.status(teamId)).isEqualTo(1);
        assertThat(tasks.attemptRows(teamId)).isEqualTo(3);
        assertThat(metric("gbm.notify.deliveries")).isGreaterThanOrEqualTo(1);
        assertThat(metric("gbm.notify.failed.tasks")).isGreaterThanOrEqualTo(1);
    }

    /**
     * A re-drive gives the task another round of the schedule, not one last try: the partner still failing once
     * right after the re-drive (a partner just back is often flaky) leaves the task RETRY on the backoff, and it is
     * delivered on the next attempt. Before, the task's count stayed at the cap, so its first failure after the
     * re-drive was FAIL again at once, with no backoff.
     */
    @Test
    void aRedrivenTaskThatFailsOnceMoreRetriesOnTheBackoffAndIsDelivered() throws Exception {
        String teamId = failedTask();
        long taskId = taskId(teamId);
        partner.enqueue(new MockResponse.Builder().code(503).build());
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());

        call("POST", "/api/v1/gbm/admin/notify/tasks/" + taskId + "/redrive", "it-admin", 200);
        notifyService.deliverAllDue();
        int afterFirstRedrivenAttempt = tasks.status(teamId);
        boolean waitsForTheBackoff = jdbc.queryForObject(
                "SELECT next_attempt_time > UTC_TIMESTAMP(3) + INTERVAL 30 MINUTE FROM notify_task WHERE id = ?",
                Boolean.class,
                taskId);
        tasks.makeDue(teamId);
        notifyService.deliverAllDue();

        assertThat(afterFirstRedrivenAttempt)
                .as("status after the re-drive's first (failed) attempt")
                .isEqualTo(2);
        assertThat(waitsForTheBackoff)
                .as("its next attempt on the backoff (1h)")
                .isTrue();
        assertThat(tasks.status(teamId)).isEqualTo(1);
        assertThat(tasks.attemptRows(teamId)).isEqualTo(4);
        assertThat(partner.getRequestCount()).isEqualTo(4);
    }

    @Test
    void redriveOfATaskThatDidNotFailOrDoesNotExistHasItsCode() throws Exception {
        String teamId = tasks.dueTask(partner.url("/cb").toString());
        long taskId = taskId(teamId);

        assertThat(call("POST", "/api/v1/gbm/admin/notify/tasks/" + taskId + "/redrive", "it-admin", 200)
                        .path("code")
                        .asText())
                .isEqualTo("E0302");
        assertThat(call("POST", "/api/v1/gbm/admin/notify/tasks/999999999/redrive", "it-admin", 200)
                        .path("code")
                        .asText())
                .isEqualTo("E0301");
        assertThat(tasks.status(teamId)).isZero();
    }

    /**
     * A task id (or any numeric parameter) that is not exactly a decimal number is 0002 naming it, and nothing is
     * re-driven. Before, Spring dropped the whitespace and read hex: {@code 1 2} re-drove task 12, {@code 0x10} and
     * {@code #10} task 16, and {@code +5}, {@code 05} and Arabic-Indic digits reached the task they spelt.
     */
    @Test
    void aTaskIdThatIsNotExactlyADecimalNumberRedrivesNothing() throws Exception {
        String teamId = failedTask();
        long taskId = taskId(teamId);
        String digits = Long.toString(taskId);
        StringBuilder arabicIndic = new StringBuilder();
        digits.chars().forEach(c -> arabicIndic.append((char) ('\u0660' + c - '0')));

        for (String spelt : List.of(
                digits.charAt(0) + "%20" + digits.substring(1),
                "0x" + Long.toHexString(taskId),
                "%23" + Long.toHexString(taskId),
                "%2B" + digits,
                "0" + digits,
                "%20" + digits,
                URLEncoder.encode(arabicIndic.toString(), StandardCharsets.UTF_8))) {
            JsonNode answer = call("POST", "/api/v1/gbm/admin/notify/tasks/" + spelt + "/redrive", "it-admin", 200);
            assertThat(answer.path("code").asText()).as(spelt).isEqualTo("0002");
            assertThat(answer.path("info").asText())
                    .as(spelt)
                    .isEqualTo("illegal parameter: taskId has the wrong type");
        }
        assertThat(call("GET", "/api/v1/gbm/admin/notify/tasks?page=0x1", "it-admin", 200)
                        .path("info")
                        .asText())
                .isEqualTo("illegal parameter: page has the wrong type");

        assertThat(tasks.status(teamId)).isEqualTo(3);
        assertThat(tasks.attemptRows(teamId)).isEqualTo(2);
    }

    @Test
    void missingOrWrongTokenIsRefused() throws Exception {
        assertThat(call("GET", "/api/v1/gbm/admin/notify/tasks", null, 403)
                        .path("data")
                        .isNull())
                .isTrue();
        assertThat(call("GET", "/api/v1/gbm/admin/notify/tasks", "wrong", 403)
                        .path("code")
                        .asText())
                .isEqualTo("0002");
    }

    @Test
    void dueBacklogIsAGauge() throws Exception {
        tasks.dueTask(partner.url("/cb").toString());

        assertThat(metric("gbm.notify.due.backlog")).isGreaterThanOrEqualTo(1);
    }

    /** A task whose two attempts the partner answered 500: FAIL (status 3). */
    private String failedTask() {
        partner.enqueue(new MockResponse.Builder().code(500).build());
        partner.enqueue(new MockResponse.Builder().code(500).build());
        String teamId = tasks.dueTask(partner.url("/cb").toString());
        notifyService.deliverAllDue();
        tasks.makeDue(teamId);
        notifyService.deliverAllDue();
        assertThat(tasks.status(teamId)).isEqualTo(3);
        return teamId;
    }

    private long taskId(String teamId) {
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
    }

    private double metric(String name) throws Exception {
        JsonNode body = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/metrics/" + name))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        return body.path("measurements").get(0).path("value").asDouble();
    }

    private JsonNode call(String method, String path, String token, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
