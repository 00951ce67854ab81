package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Every admitted admin action that changes state is recorded in {@code admin_action} with the operator whose
 * credential it showed (never a body's name), what it acted on, from where and how it was answered; operators read
 * the record paged, with the admin token only. On main a re-drive left only a log line: no record at all.
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

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final AdminClient admin = new AdminClient(() -> port);
    private NotifyTaskFixture tasks;

    @BeforeEach
    void clean() {
        tasks = new NotifyTaskFixture(jdbc);
        jdbc.update("DELETE FROM admin_action");
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
        assertThat(TestJson.JSON.readTree(redrive.body()).path("code").asText())
                .as(redrive.body())
                .isEqualTo("0000");

        TestJson.await(() -> rows().size() == 1);
        Map<String, Object> row = rows().get(0);
        assertThat(row.get("operator")).isEqualTo("bob");
        assertThat(row.get("shared_token")).isEqualTo(false);
        assertThat(row.get("method")).isEqualTo("POST");
        assertThat(row.get("path")).isEqualTo("/api/v1/gbm/admin/notify/tasks/" + taskId + "/redrive");
        assertThat(row.get("code")).isEqualTo("0000");
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

        TestJson.await(() -> rows().size() == 2);
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
        TestJson.await(() -> rows().size() == 3);

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

    /** Newest first. */
    private List<Map<String, Object>> rows() {
        return jdbc.queryForList("SELECT * FROM admin_action ORDER BY id DESC");
    }
}
