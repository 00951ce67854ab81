package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Every admitted admin action that changes state is recorded in {@code admin_action} with the operator whose
 * credential it showed (never a body's name), what it acted on, from where and how it was answered; operators read
 * the record paged, with the admin token only. On main a re-drive left only a log line: no record at all. The row is
 * written before the action runs (the action is refused, doing nothing, when it cannot be) and its outcome filled in
 * after: an action whose outcome was never written reads as "outcome unknown", not as a success. Before that, the row
 * was written only after the answer, so an action whose process died or whose database failed just then took effect
 * with no record. The database's own refusals (a trigger on {@code admin_action} of this class's database) make the
 * writes fail.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.admin.token=" + NamedOperatorsIT.SHARED,
            "gbm.admin.operators.alice=" + NamedOperatorsIT.ALICE_DIGEST,
            "gbm.admin.operators.bob=" + NamedOperatorsIT.BOB_DIGEST,
            "gbm.notify.backoff=1h"
        })
class AdminAuditIT {

    private static final String ACTIONS = "/api/v1/gbm/admin/audit/actions";
    private static final String REFUSING_TRIGGER = "admin_action_refused_by_test";
    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    private final AdminClient admin = new AdminClient(() -> port);
    private NotifyTaskFixture tasks;

    @BeforeEach
    void clean() {
        tasks = new NotifyTaskFixture(jdbc);
        jdbc.update("DELETE FROM admin_action");
    }

    @AfterEach
    void writable() {
        jdbc.execute("DROP TRIGGER IF EXISTS " + REFUSING_TRIGGER);
    }

    @AfterAll
    static void closePool() {
        POOL.shutdownNow();
    }

    @Test
    void bobsRedriveIsRecordedAsBobWhateverTheBodySays() throws Exception {
        String teamId = tasks.dueTask("http://127.0.0.1:9/cb");
        jdbc.update("UPDATE notify_task SET notify_status = 3 WHERE team_id = ?", teamId);
        long taskId = jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);

        HttpResponse<String> redrive = admin.call("POST", "/api/v1/gbm/admin/notify/tasks/" + taskId + "/redrive")
                .token(NamedOperatorsIT.BOB)
                .json("{\"operator\":\"alice\"}")
                .send();
        // Refused (the redrive takes no body), and recorded as bob's all the same: the credential names the operator.
        assertThat(TestJson.JSON.readTree(redrive.body()).path("code").asText())
                .as(redrive.body())
                .isEqualTo("0002");

        TestJson.await(() -> answered(1));
        Map<String, Object> row = rows().get(0);
        assertThat(row.get("operator")).isEqualTo("bob");
        assertThat(row.get("shared_token")).isEqualTo(false);
        assertThat(row.get("method")).isEqualTo("POST");
        assertThat(row.get("path")).isEqualTo("/api/v1/gbm/admin/notify/tasks/" + taskId + "/redrive");
        assertThat(row.get("code")).isEqualTo("0002");
        assertThat(((Number) row.get("http_status")).intValue()).isEqualTo(200);
        assertThat(row.get("remote_address")).isEqualTo("127.0.0.1");
        assertThat(row.get("acted_at")).isNotNull();

        JsonNode listed = TestJson.JSON.readTree(
                admin.get(ACTIONS).token(NamedOperatorsIT.ALICE).send().body());
        assertThat(TestJson.fields(listed)).containsExactly("code", "info", "data");
        assertThat(listed.path("data").get(0).path("operator").asText()).isEqualTo("bob");
        assertThat(listed.path("data").get(0).path("sharedToken").asBoolean()).isFalse();
    }

    @Test
    void refusalsAfterAdmissionAreRecordedWithTheirCodeAndAnonymousOnesAreNot() throws Exception {
        assertThat(admin.call("POST", "/api/v1/gbm/admin/notify/tasks/999999999/redrive")
                        .send()
                        .statusCode())
                .as("no token")
                .isEqualTo(403);
        assertThat(admin.call("POST", "/api/v1/gbm/admin/notify/tasks/999999999/redrive")
                        .token("not-a-token-of-anyone-0123")
                        .send()
                        .statusCode())
                .as("a wrong token")
                .isEqualTo(403);

        HttpResponse<String> missing = admin.call("POST", "/api/v1/gbm/admin/notify/tasks/999999999/redrive")
                .token(NamedOperatorsIT.BOB)
                .send();
        assertThat(TestJson.JSON.readTree(missing.body()).path("code").asText()).isEqualTo("E0301");
        HttpResponse<String> stray = admin.call("POST", "/api/v1/gbm/admin/notify/tasks/deliver-now?all=true&x=1")
                .token(NamedOperatorsIT.SHARED)
                .send();
        assertThat(TestJson.JSON.readTree(stray.body()).path("code").asText()).isEqualTo("0002");

        TestJson.await(() -> answered(2));
        List<Map<String, Object>> rows = rows();
        assertThat(rows.get(1).get("operator")).isEqualTo("bob");
        assertThat(rows.get(1).get("code")).isEqualTo("E0301");
        assertThat(rows.get(0).get("operator")).isEqualTo("gbm.admin.token");
        assertThat(rows.get(0).get("shared_token")).isEqualTo(true);
        assertThat(rows.get(0).get("query")).isEqualTo("all=true&x=1");
        assertThat(rows.get(0).get("code")).isEqualTo("0002");
    }

    @Test
    void theListingIsPagedNewestFirstAndAdminOnly() throws Exception {
        for (int i = 0; i < 3; i++) {
            admin.call("POST", "/api/v1/gbm/admin/notify/tasks/" + (999999990 + i) + "/redrive")
                    .token(NamedOperatorsIT.ALICE)
                    .send();
        }
        TestJson.await(() -> answered(3));

        JsonNode first = TestJson.JSON.readTree(admin.get(ACTIONS + "?page=0&size=2")
                .token(NamedOperatorsIT.BOB)
                .send()
                .body());
        JsonNode second = TestJson.JSON.readTree(admin.get(ACTIONS + "?page=1&size=2")
                .token(NamedOperatorsIT.BOB)
                .send()
                .body());
        assertThat(first.path("data").size()).isEqualTo(2);
        assertThat(second.path("data").size()).isEqualTo(1);
        assertThat(first.path("data").get(0).path("path").asText()).endsWith("/999999992/redrive");
        assertThat(second.path("data").get(0).path("path").asText()).endsWith("/999999990/redrive");

        assertThat(TestJson.JSON
                        .readTree(admin.get(ACTIONS + "?size=201")
                                .token(NamedOperatorsIT.BOB)
                                .send()
                                .body())
                        .path("code")
                        .asText())
                .isEqualTo("0002");
        HttpResponse<String> anonymous = admin.get(ACTIONS).send();
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(TestJson.JSON.readTree(anonymous.body()).path("data").isNull())
                .isTrue();
        assertThat(rows()).as("reading the record records nothing").hasSize(3);
    }

    /**
     * The row is written before the action runs: while a re-drive waits for its task's row (held by this test), the
     * row is there, its outcome unknown, and listed so; once it answered, its outcome is filled in. Failed on main:
     * nothing was recorded until the action had answered.
     */
    @Test
    void anActionInFlightIsRecordedBeforeItRunsItsOutcomeUnknown() throws Exception {
        long taskId = failedTask();
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (RowLockHolder task = RowLockHolder.open(dataSource, jdbc)) {
            task.lock("SELECT id FROM notify_task WHERE id = ? FOR UPDATE", taskId);
            Future<HttpResponse<String>> redrive = POOL.submit(() -> redrive(taskId, NamedOperatorsIT.BOB));
            task.awaitWaiter(redrive, null);

            assertThat(rows()).as("recorded before the action ran").hasSize(1);
            Map<String, Object> row = rows().get(0);
            assertThat(row.get("operator")).isEqualTo("bob");
            assertThat(row.get("http_status")).as("outcome unknown").isNull();
            assertThat(row.get("code")).isNull();
            assertThat(row.get("answered_at")).isNull();
            assertThat((LocalDateTime) row.get("acted_at"))
                    .isAfterOrEqualTo(LocalDateTime.ofInstant(before.minusSeconds(1), ZoneOffset.UTC));
            assertUnknownOutcomeListed();

            task.rollback();
            HttpResponse<String> answered = redrive.get(20, TimeUnit.SECONDS);
            assertThat(code(answered)).as(answered.body()).isEqualTo("0000");
        }
        TestJson.await(() -> answered(1));
        Map<String, Object> row = rows().get(0);
        assertThat(((Number) row.get("http_status")).intValue()).isEqualTo(200);
        assertThat(row.get("code")).isEqualTo("0000");
        assertThat((LocalDateTime) row.get("answered_at")).isAfterOrEqualTo((LocalDateTime) row.get("acted_at"));
        JsonNode listed = TestJson.JSON.readTree(
                admin.get(ACTIONS).token(NamedOperatorsIT.ALICE).send().body());
        assertThat(listed.path("data").get(0).path("httpStatus").asInt()).isEqualTo(200);
        assertThat(listed.path("data").get(0).path("answeredAt").isNull()).isFalse();
    }

    /**
     * The database refuses the outcome's UPDATE: the action took effect (the task is re-driven) and its row stays,
     * its outcome unknown, listed as such, never as a success. Failed on main: the one row was written whole after
     * the answer, http_status 200 (and, with its INSERT refused instead, the action left no row at all).
     */
    @Test
    void anOutcomeThatCannotBeWrittenLeavesTheActionRecordedAsUnknown() throws Exception {
        long taskId = failedTask();
        refuse("UPDATE");

        HttpResponse<String> redrive = redrive(taskId, NamedOperatorsIT.BOB);
        assertThat(code(redrive)).as(redrive.body()).isEqualTo("0000");
        assertThat(taskStatus(taskId)).as("the re-drive took effect").isNotEqualTo(3);

        List<Map<String, Object>> rows = rows();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("operator")).isEqualTo("bob");
        assertThat(rows.get(0).get("path")).isEqualTo("/api/v1/gbm/admin/notify/tasks/" + taskId + "/redrive");
        assertThat(rows.get(0).get("http_status")).as("outcome unknown").isNull();
        assertUnknownOutcomeListed();
    }

    /**
     * The database refuses the row itself: the action is refused with the envelope of a database outage (503 E0401,
     * Retry-After) and does nothing: the task stays FAILed. Failed on main: the re-drive ran and answered 0000, and its
     * record, refused after it, was only a WARN.
     */
    @Test
    void anActionWhoseRecordCannotBeWrittenIsRefusedAndDoesNothing() throws Exception {
        long taskId = failedTask();
        refuse("INSERT");

        HttpResponse<String> redrive = redrive(taskId, NamedOperatorsIT.BOB);
        JsonNode body = TestJson.JSON.readTree(redrive.body());
        assertThat(body.path("code").asText()).as(redrive.body()).isEqualTo("E0401");
        assertThat(redrive.statusCode()).isEqualTo(503);
        assertThat(redrive.headers().firstValue("Retry-After")).isPresent();
        assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
        assertThat(body.path("data").isNull()).isTrue();
        assertThat(taskStatus(taskId)).as("the task was not re-driven").isEqualTo(3);
        assertThat(rows()).isEmpty();

        jdbc.execute("DROP TRIGGER " + REFUSING_TRIGGER);
        assertThat(code(redrive(taskId, NamedOperatorsIT.BOB)))
                .as("sent again once it can be recorded")
                .isEqualTo("0000");
        assertThat(taskStatus(taskId)).isNotEqualTo(3);
        TestJson.await(() -> answered(1));
    }

    /** Each recorded action ages out rows older than the retention (365 days here), and no other row. */
    @Test
    void eachRecordedActionAgesOutRowsPastTheRetentionOnly() throws Exception {
        Instant now = Instant.now();
        jdbc.update(
                "INSERT INTO admin_action (operator, shared_token, method, path, http_status, code, acted_at) "
                        + "VALUES ('old', 0, 'POST', '/old', 200, '0000', ?), "
                        + "('kept', 0, 'POST', '/kept', NULL, NULL, ?)",
                Timestamp.from(now.minus(400, ChronoUnit.DAYS)),
                Timestamp.from(now.minus(300, ChronoUnit.DAYS)));

        redrive(999999999L, NamedOperatorsIT.ALICE);

        TestJson.await(() -> rows().size() == 2);
        assertThat(rows()).extracting(r -> r.get("operator")).containsExactly("alice", "kept");
    }

    /**
     * The aging out runs after the admission, on a thread of its own: while an old row is held by this test (the
     * aging-out DELETE waits for it), an action answers at once and is recorded with its outcome; once the row is let
     * go, it is aged out. Failed on main: the admission ran the DELETE itself, before the action, which waited for the
     * held row until the statement's bound (10 s) and only then ran.
     */
    @Test
    void anActionNeverWaitsForTheAgingOutOfOldRows() throws Exception {
        jdbc.update(
                "INSERT INTO admin_action (operator, shared_token, method, path, http_status, code, acted_at) "
                        + "VALUES ('old', 0, 'POST', '/old', 200, '0000', ?)",
                Timestamp.from(Instant.now().minus(400, ChronoUnit.DAYS)));
        long old = jdbc.queryForObject("SELECT id FROM admin_action WHERE operator = 'old'", Long.class);
        try (RowLockHolder held = RowLockHolder.open(dataSource, jdbc)) {
            held.lock("SELECT id FROM admin_action WHERE id = ? FOR UPDATE", old);
            Future<HttpResponse<String>> redrive = POOL.submit(() -> redrive(999999999L, NamedOperatorsIT.ALICE));

            assertThat(redrive)
                    .as("the action answered while the aging out waits for the held row")
                    .succeedsWithin(Duration.ofSeconds(5))
                    .satisfies(answer -> assertThat(code(answer)).isEqualTo("E0301"));
            held.awaitWaiter(); // the aging-out DELETE did run, and waits for the held row
            TestJson.await(() ->
                    rows().stream().anyMatch(r -> "alice".equals(r.get("operator")) && "E0301".equals(r.get("code"))));
            assertThat(rows()).extracting(r -> r.get("operator")).containsExactly("alice", "old");
        }
        redrive(999999998L, NamedOperatorsIT.BOB); // in case the held DELETE reached its bound and gave up
        TestJson.await(() -> rows().stream().noneMatch(r -> "old".equals(r.get("operator"))));
        TestJson.await(() -> answered(2));
    }

    private long failedTask() {
        String teamId = tasks.dueTask("http://127.0.0.1:9/cb");
        jdbc.update("UPDATE notify_task SET notify_status = 3 WHERE team_id = ?", teamId);
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
    }

    private HttpResponse<String> redrive(long taskId, String token) throws Exception {
        return admin.call("POST", "/api/v1/gbm/admin/notify/tasks/" + taskId + "/redrive")
                .token(token)
                .send();
    }

    private static String code(HttpResponse<String> answer) throws Exception {
        return TestJson.JSON.readTree(answer.body()).path("code").asText();
    }

    private int taskStatus(long taskId) {
        return jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE id = ?", Integer.class, taskId);
    }

    /** The database refuses every {@code statement} (INSERT or UPDATE) on admin_action, as a real error. */
    private void refuse(String statement) {
        jdbc.execute("CREATE TRIGGER " + REFUSING_TRIGGER + " BEFORE " + statement + " ON admin_action FOR EACH ROW "
                + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'admin_action refused by the test'");
    }

    /** The newest row, as the audit listing shows it: no status, code or answer time. */
    private void assertUnknownOutcomeListed() throws Exception {
        JsonNode listed = TestJson.JSON.readTree(
                admin.get(ACTIONS).token(NamedOperatorsIT.ALICE).send().body());
        JsonNode newest = listed.path("data").get(0);
        assertThat(newest.path("operator").asText()).isEqualTo("bob");
        assertThat(newest.has("httpStatus")).isTrue();
        assertThat(newest.path("httpStatus").isNull()).as(newest.toString()).isTrue();
        assertThat(newest.path("code").isNull()).isTrue();
        assertThat(newest.path("answeredAt").isNull()).isTrue();
        assertThat(newest.path("actedAt").isNull()).isFalse();
    }

    /** {@code count} rows, each with its outcome filled in. */
    private boolean answered(int count) {
        List<Map<String, Object>> rows = rows();
        return rows.size() == count && rows.stream().allMatch(r -> r.get("http_status") != null);
    }

    /** Newest first. */
    private List<Map<String, Object>> rows() {
        return jdbc.queryForList("SELECT * FROM admin_action ORDER BY id DESC");
    }
}
