package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Signing out of the console ends the session on the server: its cookie, sent again afterwards (kept by a browser
 * that ignored the clearing, or stolen before), is refused like no cookie, on every instance. On main the cookie was
 * stateless and kept working for its 8 hours.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=it-console-signout-token-0123")
class ConsoleSignOutIT {

    private static final String TOKEN = "it-console-signout-token-0123";
    private static final String SESSION = AdminClient.SESSION;

    @LocalServerPort
    int port;

    private final AdminClient admin = new AdminClient(() -> port);

    @Test
    void aCookieSentAfterSignOutIsRefusedAndOtherSessionsGoOn() throws Exception {
        String cookie = admin.signIn(TOKEN);
        String other = admin.signIn(TOKEN);
        assertThat(admin.get(SESSION).cookie(cookie).console().send().statusCode())
                .isEqualTo(200);
        assertThat(admin.get("/api/v1/gbm/admin/console/switches")
                        .cookie(cookie)
                        .console()
                        .send()
                        .statusCode())
                .isEqualTo(200);

        HttpResponse<String> out =
                admin.call("DELETE", SESSION).cookie(cookie).console().send();
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");

        HttpResponse<String> again = admin.get(SESSION).cookie(cookie).console().send();
        HttpResponse<String> listing = admin.get("/api/v1/gbm/admin/console/switches")
                .cookie(cookie)
                .console()
                .send();
        HttpResponse<String> change = admin.call("POST", "/api/v1/gbm/admin/notify/redrive-failed")
                .cookie(cookie)
                .console()
                .send();
        System.out.println("the signed-out cookie sent again: session " + again.statusCode() + " " + again.body()
                + ", listing " + listing.statusCode() + ", change " + change.statusCode());
        for (HttpResponse<String> answer : java.util.List.of(again, listing, change)) {
            assertThat(answer.statusCode())
                    .as(answer.uri() + " " + answer.body())
                    .isEqualTo(403);
            JsonNode body = TestJson.JSON.readTree(answer.body());
            assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("0002");
            assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        }

        assertThat(admin.get(SESSION).cookie(other).console().send().statusCode())
                .as("another operator's session is not signed out")
                .isEqualTo(200);
        assertThat(admin.call("DELETE", SESSION).cookie(cookie).console().send().statusCode())
                .as("signing out twice is harmless")
                .isEqualTo(200);
    }
}
