package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.config.AdminAuthLimitConfig;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.trigger.http.admin.ConsoleSignOuts;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
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

    @Autowired
    RedissonClient redisson;

    @Autowired
    RedisKeys keys;

    @Autowired
    RedisOutages outages;

    private final AdminClient admin = new AdminClient(() -> port);

    /**
     * A sign-out on an instance whose clock runs ahead of the others' by X was remembered only until the cookie's
     * expiry by that clock: X before the end of the cookie's life the other instances took the signed-out cookie again
     * (and an instance more than the cookie's remaining life ahead remembered nothing). Here the signing-out instance
     * is 8 h less 2 s ahead (the whole lifetime, so the test need not wait hours; 10 s ahead reopens the cookie for its
     * last 9 s the same way): on main this instance took the cookie again 2 s after it was signed out.
     */
    @Test
    void aSignOutOnAnInstanceWhoseClockIsAheadStillEndsTheSessionOnTheOthers() throws Exception {
        String cookie = admin.signIn(TOKEN);
        String[] parts = cookie.substring(cookie.indexOf('=') + 1).split("\\.");
        Instant expiry = Instant.ofEpochSecond(Long.parseLong(parts[0]));
        ConsoleSignOuts ahead = new AdminAuthLimitConfig()
                .consoleSignOuts(
                        redisson,
                        keys,
                        outages,
                        Clock.offset(Clock.systemUTC(), Duration.ofHours(8).minusSeconds(2)));

        ahead.signOut(parts[1], expiry);
        assertThat(admin.get(SESSION).cookie(cookie).console().send().statusCode())
                .as("signed out at once")
                .isEqualTo(403);
        Thread.sleep(3_500);
        assertThat(admin.get(SESSION).cookie(cookie).console().send().statusCode())
                .as("still signed out once the signing-out instance's clock says the cookie has expired")
                .isEqualTo(403);
    }

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
