package com.groupbuy.market.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * #17: two instances of one deployment (two Spring contexts, one database, one Redis prefix). One switch change
 * through one instance's admin endpoint is obeyed by both within a second; it is audited with who/what/when, kept
 * across a restart, and refused without the admin token.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=it-admin")
class LiveSwitchIT {

    private static final String ADMIN = "/api/v1/gbm/admin/switches";
    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Autowired
    JdbcTemplate jdbc;

    private SecondInstance second;

    @BeforeEach
    void setUp() {
        jdbc.update("DELETE FROM dcc_switch");
        second = SecondInstance.like(environment, "gbm.admin.token=it-admin");
    }

    @AfterEach
    void tearDown() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void oneDegradeChangeIsObeyedByBothInstancesWithinASecondAuditedAndKeptAcrossARestart() throws Exception {
        new MarketConfigFixture(jdbc).goods("g-live", 3001, "ZJ", "20", "100.00");
        assertThat(trialCode(port)).isEqualTo("0000");
        assertThat(trialCode(second.port())).isEqualTo("0000");

        long changedAt = System.nanoTime();
        JsonNode change = changeSwitch(port, "degrade", "true", "alice");
        assertThat(change.path("code").asText()).isEqualTo("0000");
        assertThat(TestJson.fields(change)).containsExactlyInAnyOrder("code", "info", "data");
        long bothObeyMs = awaitBoth(p -> "E0003".equals(trialCode(p)));
        System.out.println("LiveSwitchIT: degrade obeyed by both instances after " + bothObeyMs + " ms");
        assertThat(bothObeyMs)
                .as("both instances answer E0003 (ms after the change was sent)")
                .isLessThanOrEqualTo(1000);
        assertThat((System.nanoTime() - changedAt) / 1_000_000).isGreaterThanOrEqualTo(bothObeyMs);

        JsonNode changes = get(second.port(), ADMIN + "/changes", "it-admin");
        JsonNode newest = changes.path("data").get(0);
        assertThat(newest.path("name").asText()).isEqualTo("degrade");
        assertThat(newest.path("oldValue").asText()).isEqualTo("false");
        assertThat(newest.path("newValue").asText()).isEqualTo("true");
        assertThat(newest.path("changedBy").asText()).isEqualTo("alice");
        assertThat(newest.path("changedAt").isMissingNode()
                        || newest.path("changedAt").isNull())
                .isFalse();
        assertThat(get(second.port(), ADMIN, "it-admin")
                        .path("data")
                        .path("degrade")
                        .asText())
                .isEqualTo("true");

        // A restarted instance reads the stored value at start.
        second.close();
        second = SecondInstance.like(environment, "gbm.admin.token=it-admin");
        assertThat(trialCode(second.port())).isEqualTo("E0003");

        changeSwitch(second.port(), "degrade", "false", "bob");
        awaitBoth(p -> "0000".equals(trialCode(p)));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch_change WHERE name = 'degrade'", Integer.class))
                .isEqualTo(2);
    }

    @Test
    void signatureRequirementSwitchedOnOneInstanceIsEnforcedByTheOther() throws Exception {
        String unsignedLock = "{\"userId\":\"u-sig\",\"teamId\":\"\",\"activityId\":1,\"goodsId\":\"g-none\","
                + "\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"o-sig\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}";
        assertThat(TestJson.post(second.port(), "/api/v1/gbm/trade/lock_market_pay_order", unsignedLock)
                        .statusCode())
                .isEqualTo(200);

        changeSwitch(port, "signatureRequiredFor", "s01:c01", "carol");
        long ms = awaitBoth(p -> postStatus(p, unsignedLock) == 401);
        assertThat(ms).isLessThanOrEqualTo(1000);
        HttpResponse<String> refused =
                TestJson.post(second.port(), "/api/v1/gbm/trade/lock_market_pay_order", unsignedLock);
        assertThat(TestJson.JSON.readTree(refused.body()).path("code").asText()).isEqualTo("E0207");
    }

    @Test
    void withoutTheAdminTokenNothingIsReadOrChangedAndABadValueIsRefused() throws Exception {
        int auditBefore = jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch_change", Integer.class);
        HttpResponse<String> read =
                TestJson.post(port, ADMIN + "/degrade", "{\"value\":\"true\",\"operator\":\"eve\"}");
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(TestJson.post(
                                port,
                                ADMIN + "/degrade",
                                "{\"value\":\"true\",\"operator\":\"eve\"}",
                                Map.of("X-Admin-Token", "wrong"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(getStatus(port, ADMIN, null)).isEqualTo(403);
        assertThat(getStatus(port, ADMIN + "/changes", "wrong")).isEqualTo(403);

        JsonNode bad = changeSwitch(port, "cutRange", "101", "eve");
        assertThat(bad.path("code").asText()).isEqualTo("0002");
        JsonNode unknown = changeSwitch(port, "noSuchSwitch", "1", "eve");
        assertThat(unknown.path("code").asText()).isEqualTo("0002");
        JsonNode anonymous = TestJson.JSON.readTree(
                TestJson.post(port, ADMIN + "/degrade", "{\"value\":\"true\"}", Map.of("X-Admin-Token", "it-admin"))
                        .body());
        assertThat(anonymous.path("code").asText()).isEqualTo("0002");
        JsonNode wrongType = TestJson.JSON.readTree(TestJson.post(
                        port,
                        ADMIN + "/degrade",
                        "{\"value\":true,\"operator\":\"eve\"}",
                        Map.of("X-Admin-Token", "it-admin"))
                .body());
        assertThat(wrongType.path("code").asText()).isEqualTo("0002");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch_change", Integer.class))
                .isEqualTo(auditBefore);
    }

    /** Polls both instances every 20 ms until both satisfy {@code obeys}; answers the milliseconds it took. */
    private long awaitBoth(IntPredicate obeys) throws InterruptedException {
        long start = System.nanoTime();
        boolean first = false, other = false;
        while (!(first && other)) {
            first = first || obeys.test(port);
            other = other || obeys.test(second.port());
            if (System.nanoTime() - start > 5_000_000_000L) {
                throw new AssertionError(
                        "not obeyed by both instances within 5 s (first " + first + ", second " + other + ")");
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static JsonNode changeSwitch(int port, String name, String value, String operator) throws Exception {
        return TestJson.JSON.readTree(TestJson.post(
                        port,
                        ADMIN + "/" + name,
                        "{\"value\":\"" + value + "\",\"operator\":\"" + operator + "\"}",
                        Map.of("X-Admin-Token", "it-admin"))
                .body());
    }

    private static String trialCode(int port) {
        try {
            return TestJson.postEnvelope(
                            port,
                            TRIAL,
                            "{\"userId\":\"u1\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g-live\"}")
                    .path("code")
                    .asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int postStatus(int port, String body) {
        try {
            return TestJson.post(port, "/api/v1/gbm/trade/lock_market_pay_order", body)
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode get(int port, String path, String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        return TestJson.JSON.readTree(java.net.http.HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    private static int getStatus(int port, String path, String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        return java.net.http.HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
