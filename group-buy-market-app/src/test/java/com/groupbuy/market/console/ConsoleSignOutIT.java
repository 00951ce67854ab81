package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
    private static final String SESSION = "/api/v1/gbm/admin/console/session";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCookieSentAfterSignOutIsRefusedAndOtherSessionsGoOn() throws Exception {
        String cookie = signIn();
        String other = signIn();
        assertThat(send("GET", SESSION, cookie).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/gbm/admin/console/switches", cookie).statusCode())
                .isEqualTo(200);

        HttpResponse<String> out = send("DELETE", SESSION, cookie);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");

        HttpResponse<String> again = send("GET", SESSION, cookie);
        HttpResponse<String> listing = send("GET", "/api/v1/gbm/admin/console/switches", cookie);
        HttpResponse<String> change = send("POST", "/api/v1/gbm/admin/notify/redrive-failed", cookie);
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

        assertThat(send("GET", SESSION, other).statusCode())
                .as("another operator's session is not signed out")
                .isEqualTo(200);
        assertThat(send("DELETE", SESSION, cookie).statusCode())
                .as("signing out twice is harmless")
                .isEqualTo(200);
    }

    private String signIn() throws Exception {
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SESSION))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TOKEN + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private HttpResponse<String> send(String method, String path, String cookie) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Cookie", cookie)
                        .header("X-Gbm-Console", "1")
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
