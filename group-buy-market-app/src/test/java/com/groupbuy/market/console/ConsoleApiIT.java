package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.service.NotifyTaskOperations;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.tag.CrowdTagFixture;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The console's admin API without a browser: the login sets an HttpOnly, SameSite=Strict cookie that stands for the
 * token (a forged or missing one does not; a change needs the console header too), the read endpoints page, and long
 * work reports rows done / total.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=it-console-api-token-0123")
class ConsoleApiIT {

    private static final String TOKEN = "it-console-api-token-0123";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NotifyTaskOperations tasks;

    private final AdminClient admin = new AdminClient(() -> port);

    @Test
    void theLoginCookieStandsForTheTokenAndNothingElseDoes() throws Exception {
        HttpResponse<String> wrong = admin.call("POST", AdminClient.SESSION)
                .json("{\"token\":\"nope\"}")
                .send();
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(admin.call("POST", AdminClient.SESSION)
                        .json("{\"token\":1}")
                        .send()
                        .body())
                .contains("\"0002\"");

        HttpResponse<String> login = admin.signInRequest(TOKEN).send();
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("GBM_CONSOLE=")
                .contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain(TOKEN);
        String cookie = AdminClient.cookie(login);

        assertThat(admin.get("/api/v1/gbm/admin/console/switches")
                        .cookie(cookie)
                        .send()
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin.get("/api/v1/gbm/admin/notify/tasks")
                        .cookie(cookie)
                        .send()
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin.get("/api/v1/gbm/admin/console/switches").send().statusCode())
                .isEqualTo(403);
        String forged = cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("AA") ? "BB" : "AA");
        assertThat(admin.get("/api/v1/gbm/admin/console/switches")
                        .cookie(forged)
                        .send()
                        .statusCode())
                .isEqualTo(403);
        String later = "GBM_CONSOLE=9999999999" + cookie.substring(cookie.indexOf('.'));
        assertThat(admin.get("/api/v1/gbm/admin/console/switches")
                        .cookie(later)
                        .send()
                        .statusCode())
                .isEqualTo(403);
        // A change with the cookie alone (what a form on another site could send) is refused; with the header it runs.
        assertThat(admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed")
                        .cookie(cookie)
                        .send()
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed")
                        .cookie(cookie)
                        .console()
                        .send()
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void theTaskTotalCountsWhatTheListShows_closeChecksLeftOutOfBoth() {
        String teamId = String.format("9%07d", System.nanoTime() % 10_000_000);
        jdbc.update("DELETE FROM notify_task WHERE team_id = ?", teamId);
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category,"
                        + " notify_type, notify_url, notify_count, notify_status, parameter_json, next_attempt_time)"
                        + " VALUES (?, ?, 1, ?, 'countapi', 'c01', ?, ?, ?, 0, 0, '{}', UTC_TIMESTAMP(3) + INTERVAL 1 HOUR)",
                teamId + ":trade_settlement",
                "msg_count_" + teamId,
                teamId,
                "trade_settlement",
                "HTTP",
                "http://127.0.0.1:1/cb");
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category,"
                        + " notify_type, notify_url, notify_count, notify_status, parameter_json, next_attempt_time)"
                        + " VALUES (?, ?, 1, ?, 'countapi', 'c01', ?, ?, NULL, 0, 0, '{}', UTC_TIMESTAMP(3) + INTERVAL 1 HOUR)",
                teamId + ":internal_close_team",
                "msg_count_close_" + teamId,
                teamId,
                "internal_close_team",
                "DELAY");
        try {
            assertThat(tasks.list(null, teamId, 0, 10)).hasSize(1);
            assertThat(tasks.count(null, teamId)).isEqualTo(1);
            assertThat(tasks.count(0, teamId)).isEqualTo(1);
        } finally {
            jdbc.update("DELETE FROM notify_task WHERE team_id = ?", teamId);
        }
    }

    @Test
    void readEndpointsPageAndAnswerEmptyListsOnNoData() throws Exception {
        JsonNode activities = TestJson.JSON.readTree(
                get("/api/v1/gbm/admin/console/activities?page=0&size=10").body());
        assertThat(activities.path("code").asText()).isEqualTo("0000");
        assertThat(activities.path("data").path("items").isArray()).isTrue();
        // An activity that does not exist is no empty page (AdminRefusalIT).
        JsonNode teams = TestJson.JSON.readTree(
                get("/api/v1/gbm/admin/console/activities/424242/teams").body());
        assertThat(teams.path("code").asText()).isEqualTo("0002");
        assertThat(TestJson.JSON
                        .readTree(get("/api/v1/gbm/admin/console/notify/tasks?size=201")
                                .body())
                        .path("code")
                        .asText())
                .isEqualTo("0002");
        assertThat(TestJson.JSON
                        .readTree(get("/api/v1/gbm/admin/console/tag-imports?page=100001")
                                .body())
                        .path("code")
                        .asText())
                .isEqualTo("0002");
        JsonNode switches = TestJson.JSON
                .readTree(get("/api/v1/gbm/admin/console/switches").body())
                .path("data");
        assertThat(switches.path("degrade").asBoolean()).isFalse();
        assertThat(switches.path("cutRangePercent").asInt()).isEqualTo(100);
        // Shown on the console as "Read-only, from <source>": it was a lambda's class
        // (LiveSwitchConfig$$Lambda$1821/…).
        assertThat(switches.path("source").asText()).isEqualTo("LiveMarketSwitches");
    }

    @Test
    void aBulkReDriveReportsTasksDoneOfTotal() throws Exception {
        ConsoleData data = new ConsoleData(jdbc);
        data.failedTasks(1_234, 60_000_000, "bulkapi");

        JsonNode started = TestJson.JSON.readTree(
                admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed?source=bulkapi&channel=c01")
                        .token(TOKEN)
                        .send()
                        .body());
        assertThat(started.path("data").path("kind").asText()).isEqualTo("notify-redrive");
        JsonNode finished = awaitDone("notify-redrive", "bulkapi:c01");

        assertThat(finished.path("done").asLong()).isEqualTo(1_234);
        assertThat(finished.path("total").asLong()).isEqualTo(1_234);
        assertThat(data.failed("bulkapi")).isZero();
        assertThat(data.retrying("bulkapi")).isEqualTo(1_234);
        jdbc.update("DELETE FROM notify_task WHERE source = 'bulkapi'");
        assertThat(TestJson.JSON
                        .readTree(admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed?source=bulkapi")
                                .token(TOKEN)
                                .send()
                                .body())
                        .path("code")
                        .asText())
                .isEqualTo("0002");
    }

    /**
     * Close checks (notify type DELAY) are our own, not partner callbacks: the single re-drive does not find them
     * (E0301) and the listing leaves them out (docs/operations.md), so the bulk re-drive leaves them as they are too,
     * and its total counts only what it re-drives. Before, it moved every FAIL row, close checks included.
     */
    @Test
    void aBulkReDriveLeavesFailedCloseChecksAsTheSingleReDriveDoes() throws Exception {
        new ConsoleData(jdbc).failedTasks(1, 61_000_000, "bulkdelay");
        jdbc.update("INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                + "notify_category, notify_type, notify_url, notify_count, notify_status, parameter_json, "
                + "next_attempt_time, last_error) VALUES ('61000001:internal_close_team', 'msg_bulk_close_61000001', "
                + "1, '61000001', 'bulkdelay', 'c01', 'internal_close_team', 'DELAY', NULL, 15, 3, '{}', "
                + "UTC_TIMESTAMP(3) + INTERVAL 1 HOUR, 'close checks switched off')");
        long closeCheck = jdbc.queryForObject(
                "SELECT id FROM notify_task WHERE task_key = '61000001:internal_close_team'", Long.class);
        try {
            JsonNode single = TestJson.JSON.readTree(
                    admin.call("POST", "/api/v1/gbm/admin/notify/tasks/" + closeCheck + "/redrive")
                            .token(TOKEN)
                            .send()
                            .body());
            assertThat(single.path("code").asText())
                    .as("the single re-drive does not know close checks: " + single)
                    .isEqualTo("E0301");

            admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed?source=bulkdelay&channel=c01")
                    .token(TOKEN)
                    .send();
            JsonNode finished = awaitDone("notify-redrive", "bulkdelay:c01");

            assertThat(finished.path("total").asLong()).isEqualTo(1);
            assertThat(finished.path("done").asLong()).isEqualTo(1);
            assertThat(
                            jdbc.queryForList(
                                    "SELECT notify_type, notify_status FROM notify_task WHERE source = 'bulkdelay' ORDER BY id"))
                    .as("the callback re-driven, the close check left FAIL")
                    .containsExactly(
                            java.util.Map.of("notify_type", "HTTP", "notify_status", 2),
                            java.util.Map.of("notify_type", "DELAY", "notify_status", 3));
        } finally {
            jdbc.update("DELETE FROM notify_task WHERE source = 'bulkdelay'");
        }
    }

    @Test
    void aCrowdTagImportReportsRowsDoneOfTotal() throws Exception {
        List<String> members =
                IntStream.range(0, 2_345).mapToObj(i -> "imp-u" + i).toList();
        new CrowdTagFixture(jdbc).tag("console-api", members);

        admin.call("POST", "/api/v1/gbm/admin/tag-imports/b-console-api/run")
                .token(TOKEN)
                .send();
        JsonNode finished = awaitDone("tag-import", "b-console-api");

        assertThat(finished.path("done").asLong()).isEqualTo(2_345);
        assertThat(finished.path("total").asLong()).isEqualTo(2_345);
        JsonNode listed = TestJson.JSON
                .readTree(get("/api/v1/gbm/admin/console/tag-imports").body())
                .path("data");
        JsonNode row = null;
        for (JsonNode item : listed.path("items")) {
            if ("b-console-api".equals(item.path("job").path("batchId").asText())) {
                row = item;
            }
        }
        assertThat(row).isNotNull();
        assertThat(row.path("job").path("status").asInt()).isEqualTo(1);
        assertThat(row.path("job").path("statistics").asLong()).isEqualTo(2_345);
        assertThat(row.path("progress").path("done").asLong()).isEqualTo(2_345);

        // A run naming no job is refused at once and queues nothing (AdminRefusalIT has the other cases).
        JsonNode refused = TestJson.JSON.readTree(admin.call("POST", "/api/v1/gbm/admin/tag-imports/no-such-batch/run")
                .token(TOKEN)
                .send()
                .body());
        assertThat(refused.path("code").asText()).isEqualTo("0002");
        assertThat(refused.path("info").asText()).contains("no crowd tag job");
    }

    /**
     * A run may name a tag id (its newest runnable job), and tag ids are up to 32 characters ({@code crowd_tags.tag_id},
     * what the {@code crowdTagImportJob} handler takes). Before, the API refused anything over 16 (a batch id's length):
     * a tag id such as {@code RQ_KJHKL98UU78H66554GFDV} could be run by the job but not by the API.
     */
    @Test
    void anImportMayBeRunByATagIdUpToItsColumnsLength() throws Exception {
        String tagId = "RQ_KJHKL98UU78H66554GFDV_LONG_32"; // 32 characters
        jdbc.update("INSERT INTO crowd_tags (tag_id, tag_name) VALUES (?, 'long tag id')", tagId);
        CrowdTagFixture tags = new CrowdTagFixture(jdbc);
        tags.job(tagId, "b-long-tag-id", 0);
        tags.members(tagId, List.of("long-u1", "long-u2"));

        HttpResponse<String> run = admin.call("POST", "/api/v1/gbm/admin/tag-imports/" + tagId + "/run")
                .token(TOKEN)
                .send();

        assertThat(TestJson.JSON.readTree(run.body()).path("code").asText())
                .as(run.body())
                .isEqualTo("0000");
        assertThat(awaitDone("tag-import", "b-long-tag-id").path("done").asLong())
                .isEqualTo(2);
        assertThat(tags.jobStatus("b-long-tag-id")).isEqualTo(1);
        assertThat(tags.statistics(tagId)).isEqualTo(2);
        JsonNode tooLong = TestJson.JSON.readTree(admin.call("POST", "/api/v1/gbm/admin/tag-imports/" + tagId + "X/run")
                .token(TOKEN)
                .send()
                .body());
        assertThat(tooLong.path("code").asText()).isEqualTo("0002");
        assertThat(tooLong.path("info").asText()).contains("1 to 32 printable ASCII characters");
        JsonNode prefixed =
                TestJson.JSON.readTree(admin.call("POST", "/api/v1/gbm/admin/tag-imports/tag%3A" + tagId + "/run")
                        .token(TOKEN)
                        .send()
                        .body());
        assertThat(prefixed.path("code").asText())
                .as("the id's 32 characters after its tag:")
                .isEqualTo("0000");
    }

    /**
     * A team may have up to 10,000 members: the teams page carries each team's member count and its first 20 members
     * (oldest first), and a team's members page on their own. On main the page listed every member of every team (50
     * teams of 10,000 members were 500,000 members in one answer). The big team's members are written as rows, as
     * SettlementIT's big team is, so the test takes no 3,000 locks.
     */
    @Test
    void theTeamsPageCarriesEachTeamsFirstMembersAndATeamsMembersPage() throws Exception {
        long activityId = 7_700_701L;
        String big = "77007011";
        String small = "77007012";
        MarketConfigFixture teams = new MarketConfigFixture(jdbc);
        Instant end = Instant.now().plusSeconds(600);
        teams.team(big, activityId, "tp-big-0", 0, 0, 0, end);
        jdbc.update("UPDATE group_buy_order SET target_count = 3000, lock_count = 3000 WHERE team_id = ?", big);
        teams.team(small, activityId, "tp-small-0", 2, 0, 0, end.plusSeconds(60));
        jdbc.update(
                "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, goods_id,"
                        + " source, channel, original_price, deduction_price, pay_price, status, out_trade_no)"
                        + " SELECT CONCAT('tp-big-', seq - 1), ?, CONCAT('tp7', LPAD(seq - 1, 9, '0')), ?, NOW(3), NOW(3),"
                        + " 'g', 's01', 'c01', 100, 20, 80, 0, CONCAT('out-tp-big-', seq - 1) FROM seq_1_to_3000",
                big,
                activityId);
        teams.member(small, activityId, "tp-small-0", "tp8000000000", "out-tp-small-0", 0);
        teams.member(small, activityId, "tp-small-1", "tp8000000001", "out-tp-small-1", 0);
        try {
            HttpResponse<String> answer = get("/api/v1/gbm/admin/console/activities/" + activityId + "/teams");
            JsonNode items = TestJson.JSON.readTree(answer.body()).path("data").path("items");

            assertThat(items).hasSize(2);
            JsonNode bigTeam = items.get(0).path("team");
            assertThat(bigTeam.path("teamId").asText()).isEqualTo(big);
            assertThat(answer.body().length())
                    .as("3,000 members were some 500 KB; 22 are a few")
                    .isLessThan(20_000);
            assertThat(bigTeam.path("memberCount").asLong()).isEqualTo(3_000);
            List<String> shown = new ArrayList<>();
            bigTeam.path("members").forEach(m -> shown.add(m.path("userId").asText()));
            assertThat(shown)
                    .as("the first 20 members, oldest first")
                    .containsExactlyElementsOf(
                            IntStream.range(0, 20).mapToObj(i -> "tp-big-" + i).toList());
            JsonNode smallTeam = items.get(1).path("team");
            assertThat(smallTeam.path("memberCount").asLong()).isEqualTo(2);
            assertThat(smallTeam.path("members")).hasSize(2);

            String members = "/api/v1/gbm/admin/console/teams/" + big + "/members";
            JsonNode first =
                    TestJson.JSON.readTree(get(members + "?size=200").body()).path("data");
            assertThat(first.path("total").asLong()).isEqualTo(3_000);
            assertThat(first.path("items")).hasSize(200);
            assertThat(first.path("items").get(0).path("userId").asText()).isEqualTo("tp-big-0");
            JsonNode last = TestJson.JSON
                    .readTree(get(members + "?page=14&size=200").body())
                    .path("data");
            assertThat(last.path("items")).hasSize(200);
            assertThat(last.path("items").get(199).path("outTradeNo").asText()).isEqualTo("out-tp-big-2999");
            assertThat(TestJson.JSON
                            .readTree(get("/api/v1/gbm/admin/console/teams/" + big + "/members?size=201")
                                    .body())
                            .path("code")
                            .asText())
                    .isEqualTo("0002");
            assertThat(TestJson.JSON
                            .readTree(get("/api/v1/gbm/admin/console/teams/7700x011/members")
                                    .body())
                            .path("code")
                            .asText())
                    .isEqualTo("0002");
            JsonNode none = TestJson.JSON.readTree(
                    get("/api/v1/gbm/admin/console/teams/77007019/members").body());
            assertThat(none.path("code").asText()).isEqualTo("0002");
            assertThat(none.path("info").asText()).isEqualTo("illegal parameter: teamId 77007019 names no team");
        } finally {
            jdbc.update("DELETE FROM group_buy_order_list WHERE activity_id = ?", activityId);
            jdbc.update("DELETE FROM group_buy_order WHERE activity_id = ?", activityId);
        }
    }

    /**
     * A task's attempts come newest first, a page at a time (default 50, at most 200): each operator re-drive adds a
     * round of up to ~15, and on main every attempt of the task was one answer, oldest first.
     */
    @Test
    void aTasksAttemptsArePagedNewestFirst() throws Exception {
        new ConsoleData(jdbc).failedTasks(1, 62_000_000, "attemptpage");
        long taskId = jdbc.queryForObject(
                "SELECT id FROM notify_task WHERE task_key = '62000000:trade_settlement'", Long.class);
        jdbc.update(
                "INSERT INTO notify_attempt (task_id, attempt_no, attempt_time, http_status, latency_ms, success, error)"
                        + " SELECT ?, seq, NOW(3), 500, 12, 0, 'HTTP 500' FROM seq_1_to_120",
                taskId);
        String attempts = "/api/v1/gbm/admin/notify/tasks/" + taskId + "/attempts";
        try {
            JsonNode newest = TestJson.JSON.readTree(get(attempts).body()).path("data");
            JsonNode oldest = TestJson.JSON
                    .readTree(get(attempts + "?page=2&size=50").body())
                    .path("data");

            assertThat(newest).hasSize(50);
            assertThat(newest.get(0).path("attemptNo").asInt()).isEqualTo(120);
            assertThat(newest.get(49).path("attemptNo").asInt()).isEqualTo(71);
            assertThat(oldest).hasSize(20);
            assertThat(oldest.get(19).path("attemptNo").asInt()).isEqualTo(1);
            assertThat(TestJson.JSON
                            .readTree(get(attempts + "?size=201").body())
                            .path("code")
                            .asText())
                    .isEqualTo("0002");
        } finally {
            jdbc.update("DELETE FROM notify_attempt WHERE task_id = ?", taskId);
            jdbc.update("DELETE FROM notify_task WHERE source = 'attemptpage'");
        }
    }

    private JsonNode awaitDone(String kind, String subject) throws Exception {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            for (JsonNode p : TestJson.JSON
                    .readTree(get("/api/v1/gbm/admin/progress?kind=" + kind).body())
                    .path("data")) {
                if (subject.equals(p.path("subject").asText())
                        && ("DONE".equals(p.path("state").asText())
                                || "FAILED".equals(p.path("state").asText()))) {
                    return p;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(kind + " " + subject + " did not finish within 60 s");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return admin.get(path).token(TOKEN).send();
    }

    /**
     * The admin API's answers (partners' user ids, order numbers, callback addresses and error bodies) are neither
     * cached, sniffed nor framed, whoever answers them (a handler, the token check, Spring's error handling, the
     * actuator), and keep the envelope; the console's pages send no referrer. On main the admin answers had none of
     * these headers and the pages no Referrer-Policy.
     */
    @Test
    void adminAnswersAreNeitherCachedSniffedNorFramedAndKeepTheEnvelope() throws Exception {
        HttpResponse<String> login = admin.signInRequest(TOKEN).send();
        String cookie = AdminClient.cookie(login);
        List<HttpResponse<String>> answers = List.of(
                login,
                admin.call("POST", AdminClient.SESSION)
                        .json("{\"token\":\"nope\"}")
                        .send(),
                admin.get("/api/v1/gbm/admin/console/notify/tasks").token(TOKEN).send(),
                admin.get("/api/v1/gbm/admin/console/switches").cookie(cookie).send(),
                admin.get("/api/v1/gbm/admin/notify/tasks").send(),
                admin.get("/api/v1/gbm/admin/console/activities/x/teams")
                        .token(TOKEN)
                        .send(),
                admin.get("/api/v1/gbm/admin/no-such-thing").token(TOKEN).send(),
                admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed")
                        .cookie(cookie)
                        .send());
        assertThat(answers)
                .extracting(HttpResponse::statusCode)
                .containsExactly(200, 403, 200, 200, 403, 200, 404, 403);
        for (HttpResponse<String> answer : answers) {
            String which = answer.request().method() + " " + answer.uri().getPath() + " " + answer.statusCode();
            assertThat(answer.headers().allValues("Cache-Control")).as(which).containsExactly("no-store");
            assertThat(answer.headers().firstValue("X-Content-Type-Options"))
                    .as(which)
                    .hasValue("nosniff");
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(which).hasValue("DENY");
            assertThat(answer.headers().firstValue("Content-Security-Policy"))
                    .as(which)
                    .hasValue("default-src 'none'; frame-ancestors 'none'");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(which).hasValue("no-referrer");
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin"))
                    .as(which)
                    .isEmpty();
            List<String> fields = new java.util.ArrayList<>();
            TestJson.JSON.readTree(answer.body()).fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as(which).containsExactly("code", "info", "data");
        }
        // Health details with the token, and the actuator's own refusal of a scrape without it.
        List<HttpResponse<String>> actuators = List.of(
                admin.get("/actuator/health").token(TOKEN).send(),
                admin.get("/actuator/prometheus").send());
        assertThat(actuators).extracting(HttpResponse::statusCode).containsExactly(200, 403);
        for (HttpResponse<String> actuator : actuators) {
            String which = actuator.uri().getPath() + " " + actuator.statusCode();
            assertThat(actuator.headers().allValues("Cache-Control")).as(which).containsExactly("no-store");
            assertThat(actuator.headers().firstValue("X-Content-Type-Options"))
                    .as(which)
                    .hasValue("nosniff");
        }

        for (String page : List.of("/console", "/console/login.html", "/console/index.html", "/console/console.js")) {
            HttpResponse<String> answer = admin.get(page).send();
            assertThat(answer.statusCode()).as(page).isIn(200, 302);
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(page).hasValue("no-referrer");
            assertThat(answer.headers().firstValue("Content-Security-Policy"))
                    .as(page)
                    .hasValue("default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(page).hasValue("DENY");
            assertThat(answer.headers().firstValue("X-Content-Type-Options"))
                    .as(page)
                    .hasValue("nosniff");
            assertThat(answer.headers().allValues("Cache-Control")).as(page).containsExactly("no-store");
        }
    }
}
