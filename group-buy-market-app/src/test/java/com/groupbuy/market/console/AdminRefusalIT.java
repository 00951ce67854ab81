package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.tag.CrowdTagFixture;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

    private static final AtomicInteger SEQ = new AtomicInteger();

    /** An activity of the listing tests: a team names it. */
    private static final long TEAMS_ACTIVITY = 7_700_801L;

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

    /**
     * An action that changes state takes only the parameters it declares, each once: anything else is {@code 0002}
     * naming the parameter (HTTP 200 as every other refusal of a request's content; 400 until 2026-12-04), and nothing
     * is done. Before, Spring ignored an unknown parameter and took the first of a
     * repeated one: {@code redrive-failed?Source=s01} (a capital S) meant "no filter" and re-drove every partner's FAIL
     * tasks; {@code deliver-now?all=true&all=false} moved every waiting retry.
     */
    @Test
    void aStateChangingCallWithAnUnknownOrRepeatedParameterIsRefusedNamingItAndDoesNothing() throws Exception {
        String mine = failedTask("refs01", "c01");
        String other = failedTask("refs02", "c02");
        String waiting = failedTask("refs03", "c03");
        jdbc.update(
                "UPDATE notify_task SET notify_status = 2, next_attempt_time = UTC_TIMESTAMP(3) + INTERVAL 3 HOUR "
                        + "WHERE team_id = ?",
                waiting);
        String id =
                String.valueOf(jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, mine));
        String[][] calls = {
            {"/api/v1/gbm/admin/notify/redrive-failed?Source=refs01", "'Source' is not a parameter"},
            {"/api/v1/gbm/admin/notify/redrive-failed?Source=refs01&channel=c01", "'Source' is not a parameter"},
            {"/api/v1/gbm/admin/notify/redrive-failed?source=refs01&channel=c01&source=refs02", "'source' is given more"
            },
            {"/api/v1/gbm/admin/notify/redrive-failed?partner=refs01", "'partner' is not a parameter"},
            {"/api/v1/gbm/admin/notify/tasks/" + id + "/redrive?dryRun=true", "'dryRun' is not a parameter"},
            {"/api/v1/gbm/admin/notify/tasks/deliver-now?all=true&all=false", "'all' is given more than once"},
            {"/api/v1/gbm/admin/notify/tasks/deliver-now?host=mall-x.example&host=mall-y.example", "'host' is given"},
            {"/api/v1/gbm/admin/notify/tasks/deliver-now?all=true&Host=mall-x.example", "'Host' is not a parameter"},
            {"/api/v1/gbm/admin/tag-imports/no-such-batch/run?force=true", "'force' is not a parameter"},
            // A boolean is true or false exactly: Spring read on/yes/1 (any case) as true and moved every waiting
            // retry.
            {"/api/v1/gbm/admin/notify/tasks/deliver-now?all=on", "all has the wrong type"},
            {"/api/v1/gbm/admin/notify/tasks/deliver-now?all=1", "all has the wrong type"},
            {"/api/v1/gbm/admin/notify/tasks/deliver-now?all=YES", "all has the wrong type"},
            {"/api/v1/gbm/admin/notify/tasks/deliver-now?all=TRUE", "all has the wrong type"},
        };
        for (String[] call : calls) {
            assertParameterRefused(admin.call("POST", call[0]).token(TOKEN).send(), call[0], call[1]);
        }
        // A form body's fields are parameters too; a switch change takes its value in the body, never in the query.
        assertParameterRefused(
                admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed")
                        .token(TOKEN)
                        .json("Source=refs01&channel=c01")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .send(),
                "form Source=refs01",
                "'Source' is not a parameter");
        // Fields Tomcat could not read as parameters (multipart, which nothing here parses; a form past 2 MB) were
        // dropped without a word, and the action ran unfiltered: every partner's FAIL tasks were re-driven.
        assertParameterRefused(
                admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed")
                        .token(TOKEN)
                        .json("--XX\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nrefs01\r\n"
                                + "--XX\r\nContent-Disposition: form-data; name=\"channel\"\r\n\r\nc01\r\n--XX--\r\n")
                        .header("Content-Type", "multipart/form-data; boundary=XX")
                        .send(),
                "multipart source=refs01",
                "the parameters could not be read");
        assertParameterRefused(
                admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed")
                        .token(TOKEN)
                        .json("source=refs01&channel=c01&note=" + "n".repeat(2 << 20))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .send(),
                "form past 2 MB",
                "the parameters could not be read");
        // A body the action does not read was ignored: Spring reads none the handler does not declare, and a
        // filter sent as JSON re-drove every partner's FAIL tasks.
        assertParameterRefused(
                admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed")
                        .token(TOKEN)
                        .json("{\"source\":\"refs01\",\"channel\":\"c01\"}")
                        .send(),
                "JSON source=refs01",
                "this action takes no body");
        assertParameterRefused(
                admin.call("POST", "/api/v1/gbm/admin/switches/degrade?value=true")
                        .token(TOKEN)
                        .json("{\"value\":\"maybe\",\"operator\":\"it\"}")
                        .send(),
                "switch ?value=true",
                "'value' is not a parameter");

        assertThat(taskStatus(mine)).isEqualTo(3);
        assertThat(taskStatus(other)).isEqualTo(3);
        assertThat(jdbc.queryForObject(
                        "SELECT next_attempt_time > UTC_TIMESTAMP(3) + INTERVAL 1 HOUR FROM notify_task WHERE team_id = ?",
                        Boolean.class,
                        waiting))
                .isTrue();
        JsonNode board = TestJson.JSON
                .readTree(admin.get("/api/v1/gbm/admin/progress")
                        .token(TOKEN)
                        .send()
                        .body())
                .path("data");
        assertThat(board.isArray()).isTrue();
        assertThat(board).isEmpty();
        // A listing's boolean is read as strictly (Spring read all=off as false, all=1 as true).
        for (String listing : new String[] {
            "/api/v1/gbm/admin/mq/consumption-records?all=1", "/api/v1/gbm/admin/console/activities/1/teams?all=off"
        }) {
            assertParameterRefused(admin.get(listing).token(TOKEN).send(), listing, "all has the wrong type");
        }
        // Listings stay lenient, and the actions take the parameters they declare.
        assertThat(admin.get("/api/v1/gbm/admin/notify/tasks?Status=3&status=3&status=1")
                        .token(TOKEN)
                        .send()
                        .statusCode())
                .isEqualTo(200);
        JsonNode deliver = TestJson.JSON.readTree(
                admin.call("POST", "/api/v1/gbm/admin/notify/tasks/deliver-now?source=refs03&channel=c03")
                        .token(TOKEN)
                        .send()
                        .body());
        assertThat(deliver.path("data").path("moved").asLong()).isEqualTo(1);
        jdbc.update("DELETE FROM notify_task WHERE source IN ('refs01', 'refs02', 'refs03')");
    }

    /**
     * A listing's filter that names no value it can take (a kind of long work there is none of, a status no row can
     * have) is {@code 0002} naming the values it takes, compared exactly (case and spaces count). Before, each
     * answered {@code 0000} and an empty list, read as "nothing there": {@code progress?kind=Tag-Import} showed no
     * import running while one ran. A known value and no filter answer as before.
     */
    @Test
    void aListingFilterNamingNoValueItTakesIsRefusedNamingThem() throws Exception {
        new MarketConfigFixture(jdbc).team("77008001", TEAMS_ACTIVITY, "ref-u1", 1, 0, 0, Instant.now());
        String[][] refused = {
            {"/api/v1/gbm/admin/progress?kind=no-such-kind", "kind must be one of notify-redrive, tag-import"},
            {"/api/v1/gbm/admin/progress?kind=Tag-Import", "kind must be one of notify-redrive, tag-import"},
            {"/api/v1/gbm/admin/progress?kind=tag-import%20", "kind must be one of notify-redrive, tag-import"},
            {"/api/v1/gbm/admin/progress?kind=", "kind must be one of notify-redrive, tag-import"},
            {"/api/v1/gbm/admin/mq/consumption-records?status=3", "status must be one of 0 (processing), 1 (success)"},
            {"/api/v1/gbm/admin/mq/consumption-records?status=-1&all=true", "status must be one of 0 (processing)"},
            {
                "/api/v1/gbm/admin/console/activities/1/teams?status=4",
                "status must be one of 0 (in progress), 1 (complete)"
            },
            {"/api/v1/gbm/admin/console/notify/tasks?status=4", "status must be one of 0 (INIT), 1 (DONE)"},
            {"/api/v1/gbm/admin/notify/tasks?status=9", "status must be one of 0 (INIT), 1 (DONE), 2 (RETRY), 3 (FAIL)"
            },
        };
        for (String[] call : refused) {
            assertParameterRefused(admin.get(call[0]).token(TOKEN).send(), call[0], call[1]);
        }
        for (String listing : new String[] {
            "/api/v1/gbm/admin/progress",
            "/api/v1/gbm/admin/progress?kind=tag-import",
            "/api/v1/gbm/admin/progress?kind=notify-redrive",
            "/api/v1/gbm/admin/mq/consumption-records?status=0",
            "/api/v1/gbm/admin/mq/consumption-records?all=true",
            "/api/v1/gbm/admin/console/activities/" + TEAMS_ACTIVITY + "/teams?status=3",
            "/api/v1/gbm/admin/console/notify/tasks?status=3",
            "/api/v1/gbm/admin/notify/tasks?status=0",
            "/api/v1/gbm/admin/notify/tasks?status="
        }) {
            HttpResponse<String> answer = admin.get(listing).token(TOKEN).send();
            assertThat(TestJson.JSON.readTree(answer.body()).path("code").asText())
                    .as(listing + " " + answer.body())
                    .isEqualTo("0000");
        }
    }

    /**
     * A path variable of the right shape that names nothing is refused saying so; before, an activity or a team that
     * does not exist answered {@code 0000} and an empty page, read as "no teams" / "no members". A value of the wrong
     * shape (not a number, past the column, a trailing space, other case: identifiers compare exactly) is {@code 0002}
     * as before; an unknown or close-check task is {@code E0301}. Nothing is written: a refused read records nothing,
     * a refused action is in the audit with its code.
     */
    @Test
    void aPathVariableThatNamesNothingIsRefusedNotAnsweredAsAnEmptyPage() throws Exception {
        MarketConfigFixture teams = new MarketConfigFixture(jdbc);
        teams.team("77008101", 7_700_811L, "pv-u1", 1, 0, 0, Instant.now().plusSeconds(600));
        teams.member("77008101", 7_700_811L, "pv-u1", "pv7000000001", "out-pv-1", 0);
        new CrowdTagFixture(jdbc).tag("pv-tag", List.of("u1"));
        new CrowdTagFixture(jdbc).job("pv-tag", "pv-batch", 0);
        String closeCheck = String.valueOf(closeCheckTask("77008102"));
        long auditedBefore = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM admin_action", Long.class);
        String teamsOf = "/api/v1/gbm/admin/console/activities/";
        String membersOf = "/api/v1/gbm/admin/console/teams/";
        String[][] reads = {
            {teamsOf + "424242/teams", "0002", "activityId 424242 names no activity"},
            {teamsOf + "424242/teams?status=1", "0002", "activityId 424242 names no activity"},
            {teamsOf + "424242/teams?all=true&page=3", "0002", "activityId 424242 names no activity"},
            {teamsOf + "-7700811/teams", "0002", "activityId -7700811 names no activity"},
            {teamsOf + "x7700811/teams", "0002", "activityId has the wrong type"},
            {teamsOf + "7700811%20/teams", "0002", "activityId has the wrong type"},
            {teamsOf + "077008110/teams", "0002", "activityId has the wrong type"},
            {teamsOf + "92233720368547758070/teams", "0002", "activityId has the wrong type"},
            {membersOf + "77008199/members", "0002", "teamId 77008199 names no team"},
            {membersOf + "77008199/members?page=2", "0002", "teamId 77008199 names no team"},
            {membersOf + "7700810/members", "0002", "teamId 7700810 names no team"},
            {membersOf + "770081011/members", "0002", "teamId must be up to 8 digits"},
            {membersOf + "77008101%20/members", "0002", "teamId must be up to 8 digits"},
            {"/api/v1/gbm/admin/notify/tasks/987654321/attempts", "E0301", "notify task 987654321 not found"},
            {"/api/v1/gbm/admin/notify/tasks/" + closeCheck + "/attempts", "E0301", "not found"},
            {"/api/v1/gbm/admin/notify/tasks/1%20/attempts", "0002", "taskId has the wrong type"},
        };
        for (String[] read : reads) {
            assertRefusedWith(admin.get(read[0]).token(TOKEN).send(), read[0], read[1], read[2]);
        }
        String[][] actions = {
            {"/api/v1/gbm/admin/notify/tasks/987654321/redrive", "E0301", "notify task 987654321 not found"},
            {"/api/v1/gbm/admin/notify/tasks/" + closeCheck + "/redrive", "E0301", "not found"},
            {"/api/v1/gbm/admin/notify/tasks/x/redrive", "0002", "taskId has the wrong type"},
            {"/api/v1/gbm/admin/tag-imports/pv-none/run", "0002", "no crowd tag job for batch or tag pv-none"},
            {"/api/v1/gbm/admin/tag-imports/PV-BATCH/run", "0002", "no crowd tag job for batch or tag PV-BATCH"},
            {"/api/v1/gbm/admin/tag-imports/pv-batch%20/run", "0002", "printable ASCII characters"},
            {"/api/v1/gbm/admin/tag-imports/" + "b".repeat(33) + "/run", "0002", "printable ASCII characters"},
            {"/api/v1/gbm/admin/switches/Degrade", "0002", "name must be one of degrade, "},
            {"/api/v1/gbm/admin/switches/degrade%20", "0002", "name must be one of degrade, "},
            {"/api/v1/gbm/admin/switches/no-such-switch", "0002", "name must be one of degrade, "},
        };
        for (String[] action : actions) {
            HttpResponse<String> answer = admin.call("POST", action[0])
                    .token(TOKEN)
                    .json(action[0].contains("/switches/") ? "{\"value\":\"true\",\"operator\":\"it\"}" : null)
                    .send();
            assertRefusedWith(answer, action[0], action[1], action[2]);
        }
        // Names that exist answer as before, an activity's or team's empty page included.
        for (String known : new String[] {
            teamsOf + "7700811/teams", teamsOf + "7700811/teams?status=2", membersOf + "77008101/members?page=9"
        }) {
            HttpResponse<String> answer = admin.get(known).token(TOKEN).send();
            assertThat(TestJson.JSON.readTree(answer.body()).path("code").asText())
                    .as(known + " " + answer.body())
                    .isEqualTo("0000");
        }
        // Nothing written: no switch change, the job as it was, nothing queued; the refused actions are audited with
        // their codes (admitted before they ran), the refused reads are not (no read is).
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch_change", Integer.class))
                .isZero();
        assertThat(new CrowdTagFixture(jdbc).jobStatus("pv-batch")).isZero();
        assertThat(TestJson.JSON
                        .readTree(admin.get("/api/v1/gbm/admin/progress")
                                .token(TOKEN)
                                .send()
                                .body())
                        .path("data"))
                .isEmpty();
        assertThat(jdbc.queryForList(
                        "SELECT CONCAT(method, ' ', http_status, ' ', code) FROM admin_action WHERE id > ? ORDER BY id",
                        String.class,
                        auditedBefore))
                .containsExactlyElementsOf(Arrays.stream(actions)
                        .map(action -> "POST 200 " + action[1])
                        .toList());
    }

    /**
     * A switch change's body takes its two fields only. Before, an unknown field was ignored: {@code "dryRun":true}
     * changed the switch all the same, and a misspelt {@code "Value"} was read as no value.
     */
    @Test
    void aSwitchChangeWithAFieldItDoesNotHaveIsRefusedNamingItAndStoresNothing() throws Exception {
        String[][] bodies = {
            {"{\"value\":\"true\",\"operator\":\"it\",\"dryRun\":true}", "'dryRun' is not a field"},
            {"{\"Value\":\"true\",\"operator\":\"it\"}", "'Value' is not a field"},
            {"{\"value\":\"true\",\"operator\":\"it\",\"note\":{\"value\":\"false\"}}", "'note' is not a field"},
            {"{\"value\":\"true\",\"operator\":\"it\",\"" + "x".repeat(300) + "\":1}", "'" + "x".repeat(40) + "...' is"
            },
        };
        for (String[] body : bodies) {
            assertParameterRefused(
                    admin.call("POST", "/api/v1/gbm/admin/switches/degrade")
                            .token(TOKEN)
                            .json(body[0])
                            .send(),
                    body[0],
                    body[1]);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch_change", Integer.class))
                .isZero();
        JsonNode switches = TestJson.JSON
                .readTree(admin.get("/api/v1/gbm/admin/switches")
                        .token(TOKEN)
                        .send()
                        .body())
                .path("data");
        assertThat(switches.path("degrade").asText()).isEqualTo("false");
    }

    private static void assertRefusedWith(HttpResponse<String> answer, String call, String code, String why)
            throws Exception {
        assertThat(answer.statusCode()).as(call).isEqualTo(200);
        JsonNode body = TestJson.JSON.readTree(answer.body());
        assertThat(body.path("code").asText()).as(call + " " + answer.body()).isEqualTo(code);
        assertThat(body.path("info").asText()).as(call).contains(why);
        assertThat(body.path("data").isNull()).as(call).isTrue();
        assertThat(body.size()).as(call).isEqualTo(3);
    }

    private static void assertParameterRefused(HttpResponse<String> answer, String call, String why) throws Exception {
        assertRefusedWith(answer, call, "0002", why);
        assertThat(TestJson.JSON.readTree(answer.body()).path("info").asText())
                .as(call)
                .startsWith("illegal parameter: ");
    }

    /** A FAIL partner callback of a new team of this partner; returns the team id. */
    private String failedTask(String source, String channel) {
        String teamId = String.format("8%07d", SEQ.incrementAndGet() + System.nanoTime() % 9_000_000);
        jdbc.update("DELETE FROM notify_task WHERE team_id = ?", teamId);
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category,"
                        + " notify_type, notify_url, notify_count, notify_status, parameter_json, next_attempt_time)"
                        + " VALUES (?, ?, 1, ?, ?, ?, 'trade_settlement', 'HTTP', 'http://127.0.0.1:1/cb', 16, 3, '{}',"
                        + " UTC_TIMESTAMP(3) + INTERVAL 3 HOUR)",
                teamId + ":trade_settlement",
                "msg_ref_" + teamId,
                teamId,
                source,
                channel);
        return teamId;
    }

    /** A close check (notify type DELAY) of this team, not due for an hour; returns its id. */
    private long closeCheckTask(String teamId) {
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category,"
                        + " notify_type, notify_count, notify_status, parameter_json, next_attempt_time)"
                        + " VALUES (?, ?, 1, ?, 's01', 'c01', 'team_expiry', 'DELAY', 0, 0, '{}',"
                        + " UTC_TIMESTAMP(3) + INTERVAL 1 HOUR)",
                teamId + ":close",
                "msg_ref_close_" + teamId,
                teamId);
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
    }

    private int taskStatus(String teamId) {
        return jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE team_id = ?", Integer.class, teamId);
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
