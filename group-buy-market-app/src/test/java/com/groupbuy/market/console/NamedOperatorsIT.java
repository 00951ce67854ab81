package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Named operators ({@code gbm.admin.operators.<name>} = the SHA-256 hex of that operator's token): a request's operator
 * is the one whose token (or console session) it showed, and the audit names them, whatever the body says. On main
 * every operator shared {@code gbm.admin.token} and a switch change's audit recorded the body's {@code operator}: any
 * holder could act as anyone, and one leaked token could not be revoked alone.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.admin.token=" + NamedOperatorsIT.SHARED,
            "gbm.admin.operators.alice=" + NamedOperatorsIT.ALICE_DIGEST,
            "gbm.admin.operators.bob=" + NamedOperatorsIT.BOB_DIGEST
        })
class NamedOperatorsIT {

    static final String SHARED = "it-operators-shared-token-0123";
    static final String ALICE = "it-operator-alice-token-0123456789";
    static final String ALICE_DIGEST = "49c23f2d54a42d91b75f88de01f3b9ce757142baa2eb09bebf0645d931033d38";
    static final String BOB = "it-operator-bob-token-0123456789";
    static final String BOB_DIGEST = "0e05dd1797d47dc63fdcae80313f33fdee536d450e56d2d1a77e36ac3c2e235a";

    private static final String SWITCH = "/api/v1/gbm/admin/switches/cutRange";

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Autowired
    JdbcTemplate jdbc;

    private final AdminClient admin = new AdminClient(() -> port);

    @BeforeEach
    void clean() {
        jdbc.update("DELETE FROM dcc_switch");
        jdbc.update("DELETE FROM dcc_switch_change");
    }

    @Test
    void bobsTokenIsAuditedAsBobAndCannotBeAuditedAsAlice() throws Exception {
        JsonNode asAlice = change(admin.call("POST", SWITCH).token(BOB), "99", "alice");
        assertThat(asAlice.path("code").asText()).as("%s", asAlice).isEqualTo("0002");
        assertThat(asAlice.path("info").asText())
                .contains("not the holder of this token")
                .contains("bob");
        assertThat(audit()).as("nothing written").isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch", Integer.class))
                .isZero();

        assertThat(change(admin.call("POST", SWITCH).token(BOB), "98", null)
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(change(admin.call("POST", SWITCH).token(BOB), "97", "bob")
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(change(admin.call("POST", SWITCH).token(ALICE), "96", null)
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(audit()).containsExactly("bob", "bob", "alice");
    }

    @Test
    void theSharedTokenStillWorksAsBeforeButCannotTakeANamedOperatorsName() throws Exception {
        JsonNode carol = change(admin.call("POST", SWITCH).token(SHARED), "95", "carol");
        assertThat(carol.path("code").asText()).as("%s", carol).isEqualTo("0000");
        assertThat(TestJson.fields(carol)).containsExactlyInAnyOrder("code", "info", "data");
        assertThat(change(admin.call("POST", SWITCH).token(SHARED), "94", null)
                        .path("code")
                        .asText())
                .as("the shared token's holder still names themselves")
                .isEqualTo("0002");
        assertThat(change(admin.call("POST", SWITCH).token(SHARED), "93", "alice")
                        .path("code")
                        .asText())
                .as("alice's name is hers")
                .isEqualTo("0002");
        assertThat(audit()).containsExactly("carol");
        assertThat(admin.get("/api/v1/gbm/admin/switches").token(SHARED).send().statusCode())
                .isEqualTo(200);
    }

    @Test
    void aConsoleSessionIsItsOperatorsAndSigningOneOutLeavesTheOther() throws Exception {
        String bob = admin.signIn(BOB);
        String alice = admin.signIn(ALICE);

        JsonNode asAlice = change(admin.call("POST", SWITCH).cookie(bob).console(), "92", "alice");
        assertThat(asAlice.path("code").asText()).as("%s", asAlice).isEqualTo("0002");
        assertThat(change(admin.call("POST", SWITCH).cookie(bob).console(), "91", null)
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(audit()).containsExactly("bob");

        assertThat(admin.call("DELETE", AdminClient.SESSION).cookie(bob).send().statusCode())
                .isEqualTo(200);
        assertThat(admin.get(AdminClient.SESSION).cookie(bob).send().statusCode())
                .as("bob signed out")
                .isEqualTo(403);
        assertThat(admin.get(AdminClient.SESSION).cookie(alice).send().statusCode())
                .as("alice still signed in")
                .isEqualTo(200);
        assertThat(change(admin.call("POST", SWITCH).cookie(alice).console(), "90", null)
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(audit()).containsExactly("bob", "alice");
    }

    @Test
    void anOperatorRemovedFromTheConfigurationIsRefusedAfterARestart() throws Exception {
        String bobsSession = admin.signIn(BOB);
        String alicesSession = admin.signIn(ALICE);
        assertThat(admin.get(AdminClient.SESSION).cookie(bobsSession).send().statusCode())
                .isEqualTo(200);

        // The same deployment restarted without bob (another instance on the same database and Redis).
        try (SecondInstance restarted = SecondInstance.like(
                environment, "gbm.admin.token=" + SHARED, "gbm.admin.operators.alice=" + ALICE_DIGEST)) {
            AdminClient after = new AdminClient(restarted::port);
            assertThat(after.get("/api/v1/gbm/admin/switches").token(BOB).send().statusCode())
                    .as("bob's token")
                    .isEqualTo(403);
            assertThat(after.get(AdminClient.SESSION).cookie(bobsSession).send().statusCode())
                    .as("bob's console session")
                    .isEqualTo(403);
            HttpResponse<String> bobChange = after.call("POST", SWITCH)
                    .token(BOB)
                    .json("{\"value\":\"89\"}")
                    .send();
            assertThat(bobChange.statusCode()).isEqualTo(403);
            assertThat(after.signInRequest(BOB).send().statusCode())
                    .as("bob's sign-in")
                    .isEqualTo(403);

            assertThat(after.get("/api/v1/gbm/admin/switches")
                            .token(ALICE)
                            .send()
                            .statusCode())
                    .isEqualTo(200);
            assertThat(after.get(AdminClient.SESSION)
                            .cookie(alicesSession)
                            .send()
                            .statusCode())
                    .as("alice's session, signed on the other instance")
                    .isEqualTo(200);
            assertThat(after.get("/api/v1/gbm/admin/switches")
                            .token(SHARED)
                            .send()
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(audit()).isEmpty();
    }

    private static JsonNode change(AdminClient.Call call, String value, String operator) throws Exception {
        String body =
                "{\"value\":\"" + value + "\"" + (operator == null ? "" : ",\"operator\":\"" + operator + "\"") + "}";
        HttpResponse<String> answer = call.json(body).send();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return TestJson.JSON.readTree(answer.body());
    }

    private List<String> audit() {
        return jdbc.queryForList("SELECT changed_by FROM dcc_switch_change ORDER BY id", String.class);
    }
}
