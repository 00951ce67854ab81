package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The console's sign-in is limited per client address in Redis (every instance counts the same failures): past
 * {@code gbm.console.login.max-failures} failures in the window, every sign-in from the address — the right token
 * included — answers 429 {@code 0006} with the same body, before the token is compared, until the window ends.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.admin.token=it-login-limit-token-0123",
            "gbm.console.login.max-failures=3",
            "gbm.console.login.window=10m"
        })
class ConsoleLoginLimitIT {

    private static final String TOKEN = "it-login-limit-token-0123";

    @LocalServerPort
    int port;

    @Autowired
    RedissonClient redisson;

    @Autowired
    RedisKeys keys;

    private final AdminClient admin = new AdminClient(() -> port);

    @AfterEach
    void forgetFailures() {
        redisson.getKeys().delete(counter());
    }

    @Test
    void pastTheFailuresAllowedEverySignInFromTheAddressIs0006WhateverTheTokenUntilTheWindowEnds() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(admin.signInRequest("guess-" + i).console().send().statusCode())
                    .isEqualTo(403);
        }

        HttpResponse<String> right = admin.signInRequest(TOKEN).console().send();
        HttpResponse<String> wrong = admin.signInRequest("guess-4").console().send();

        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValue("Set-Cookie")).as("no session").isEmpty();
        JsonNode body = TestJson.JSON.readTree(right.body());
        assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).isEqualTo("0006");
        assertThat(body.path("info").asText())
                .startsWith("rate limited: 3 failed sign-ins from this address, try again in ");
        assertThat(body.path("data").isNull()).isTrue();
        assertThat(Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 600L);
        assertThat(wrong.statusCode())
                .as("a wrong token gets the very same answer: it tells nothing about the guess")
                .isEqualTo(429);
        assertThat(TestJson.JSON.readTree(wrong.body()).path("code").asText()).isEqualTo("0006");
        assertThat(redisson.getKeys().remainTimeToLive(counter()))
                .as("kept in Redis for the window, for every instance")
                .isBetween(1L, 600_000L);

        redisson.getKeys().delete(counter()); // the window ended
        HttpResponse<String> after = admin.signInRequest(TOKEN).console().send();
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.headers().firstValue("Set-Cookie")).isPresent();
    }

    @Test
    void failuresUnderTheLimitLeaveTheRightTokenSigningIn() throws Exception {
        assertThat(admin.signInRequest("guess-a").console().send().statusCode()).isEqualTo(403);
        assertThat(admin.signInRequest("guess-b").console().send().statusCode()).isEqualTo(403);

        assertThat(admin.signInRequest(TOKEN).console().send().statusCode()).isEqualTo(200);
        assertThat(redisson.getKeys().remainTimeToLive(counter()))
                .as("the counter expires with its window")
                .isBetween(1L, 600_000L);
    }

    private String counter() {
        return keys.key("console", "login-failures", "127.0.0.1");
    }
}
