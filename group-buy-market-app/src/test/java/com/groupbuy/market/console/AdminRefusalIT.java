package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.tag.CrowdTagFixture;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Refusals of the admin API: a caller without the token is refused 403 before anything of its request is read (its
 * parameters, its body), and a run of long work that names nothing runnable is a clear error at once, not a
 * "success" that fails later in the background.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=it-admin-refusal-token-0123")
class AdminRefusalIT {

    private static final String TOKEN = "it-admin-refusal-token-0123";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final AdminClient admin = new AdminClient(() -> port);

    /**
     * Before: the token was checked inside each handler, after Spring had bound its parameters and read its body, so
     * an anonymous caller got 200 {@code 0002} ("page has the wrong type") or 400 instead of 403.
     */
    @Test
    void withoutTheTokenEveryAdminCallIs403WhateverItsParametersOrBody() throws Exception {
        List<String[]> calls = List.of(
                new String[] {"GET", "/api/v1/gbm/admin/notify/tasks?page=abc", null},
                new String[] {"GET", "/api/v1/gbm/admin/notify/tasks/abc/attempts", null},
                new String[] {"POST", "/api/v1/gbm/admin/notify/tasks/abc/redrive", null},
                new String[] {"POST", "/api/v1/gbm/admin/notify/tasks/deliver-now?all=maybe", null},
                new String[] {"GET", "/api/v1/gbm/admin/console/activities/abc/teams", null},
                new String[] {"GET", "/api/v1/gbm/admin/mq/consumption-records?status=abc", null},
                new String[] {"POST", "/api/v1/gbm/admin/switches/degrade", "{\"value\":true,\"operator\":\"x\"}"},
                new String[] {"POST", "/api/v1/gbm/admin/switches/degrade", "not json"},
                new String[] {"POST", "/api/v1/gbm/admin/switches/degrade", "{\"value\":\"true\",\"operator\":\"x\"}"});
        for (String[] call : calls) {
            for (String token : new String[] {null, "wrong-token"}) {
                HttpResponse<String> answer =
                        admin.call(call[0], call[1]).json(call[2]).token(token).send();
                assertThat(answer.statusCode())
                        .as(call[0] + " " + call[1] + " " + call[2] + " token " + token)
                        .isEqualTo(403);
                JsonNode body = TestJson.JSON.readTree(answer.body());
                assertThat(body.path("code").asText()).isEqualTo("0002");
                assertThat(body.path("info").asText()).isEqualTo("admin token missing or wrong");
                assertThat(body.has("data")).isTrue();
                assertThat(body.size()).isEqualTo(3);
            }
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch_change", Integer.class))
                .isZero();
        // The login (which carries the token in its body) and a caller with the token are not refused.
        assertThat(admin.signInRequest(TOKEN).send().statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/v1/gbm/admin/notify/tasks?page=abc")
                        .token(TOKEN)
                        .send()
                        .body())
                .contains("page has the wrong type");
    }

    /**
     * Before: the run was queued and answered {@code 0000} with state QUEUED whatever it named; only the progress
     * board said later, in the background, that there was no such job.
     */
    @Test
    void runningAnImportThatNamesNoRunnableJobIsRefusedAndQueuesNothing() throws Exception {
        CrowdTagFixture tags = new CrowdTagFixture(jdbc);
        tags.tag("refuse-tag", List.of("u1"));
        tags.job("refuse-tag", "b-abandoned", 2);
        tags.job("no-such-tag", "b-tagless", 0);

        assertRefused("no-such-batch", "no crowd tag job");
        assertRefused("b-abandoned", "abandoned");
        assertRefused("b-tagless", "unknown tag");

        assertThat(tags.jobStatus("b-abandoned")).isEqualTo(2);
        assertThat(tags.jobStatus("b-tagless")).isZero();
        JsonNode board = TestJson.JSON
                .readTree(admin.get("/api/v1/gbm/admin/progress?kind=tag-import")
                        .token(TOKEN)
                        .send()
                        .body())
                .path("data");
        assertThat(board.isArray()).isTrue();
        assertThat(board).isEmpty();
    }

    private void assertRefused(String batchId, String why) throws Exception {
        HttpResponse<String> answer = admin.call("POST", "/api/v1/gbm/admin/tag-imports/" + batchId + "/run")
                .token(TOKEN)
                .send();
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = TestJson.JSON.readTree(answer.body());
        assertThat(body.path("code").asText()).as(batchId).isEqualTo("0002");
        assertThat(body.path("info").asText()).as(batchId).contains(why);
        assertThat(body.path("data").isNull()).isTrue();
    }
}
