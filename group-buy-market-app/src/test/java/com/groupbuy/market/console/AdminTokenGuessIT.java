package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.ConcurrentBurst;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Guesses of the admin token sent as {@code X-Admin-Token} (to the admin API or the actuator) are limited like the
 * console's sign-in: failed authentications are counted in Redis per client address and over all addresses; past
 * either limit every request presenting a token — the right one too, so the answer never tells a guess was right —
 * answers 429 {@code 0006} until the window ends. On main every guess was answered 403 at full speed, and the right
 * token right after 200 guesses still worked.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.admin.token=it-admin-guess-token-0123",
            "gbm.console.login.max-failures=10",
            "gbm.console.login.max-failures-all-addresses=40",
            "gbm.console.login.window=10m"
        })
class AdminTokenGuessIT {

    private static final String TOKEN = "it-admin-guess-token-0123";
    private static final String SWITCHES = "/api/v1/gbm/admin/switches";

    @LocalServerPort
    int port;

    @Autowired
    RedissonClient redisson;

    @Autowired
    RedisKeys keys;

    @Autowired
    JdbcTemplate jdbc;

    private final AdminClient admin = new AdminClient(() -> port);

    @AfterEach
    void forgetFailures() {
        redisson.getKeys().deleteByPattern(keys.key("console", "*"));
    }

    /**
     * Guesses sent at once are bounded as sent one by one: each guess is counted as it is let through, so no more than
     * the limit are ever compared. Before, every guess read the count, then was compared, then counted: a burst of 64
     * concurrent guesses from one address read the count before the others had added to it, and more than the 10
     * allowed were compared (answered 403).
     */
    @Test
    void aBurstOfConcurrentGuessesIsComparedNoMoreOftenThanTheLimit() throws Exception {
        List<java.util.concurrent.Callable<String>> guesses = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String guess = "burst-" + i;
            guesses.add(() ->
                    Integer.toString(admin.get(SWITCHES).token(guess).send().statusCode()));
        }
        Map<String, Integer> answers = ConcurrentBurst.answers(64, guesses);

        assertThat(answers.getOrDefault("403", 0))
                .as("guesses compared (403) of 64 sent at once, the rest 429: " + answers)
                .isLessThanOrEqualTo(10);
        assertThat(answers.getOrDefault("403", 0) + answers.getOrDefault("429", 0))
                .as(answers.toString())
                .isEqualTo(64);
    }

    /**
     * An operator's calls sent at once with the right token are never counted: counted before their comparison (to
     * bound guesses sent at once), 64 of them from one address were refused 429 past the limit of 10.
     */
    @Test
    void aBurstOfTheRightTokenIsAllServed() throws Exception {
        List<java.util.concurrent.Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(() ->
                    Integer.toString(admin.get(SWITCHES).token(TOKEN).send().statusCode()));
        }
        assertThat(ConcurrentBurst.answers(64, calls))
                .as("64 right tokens sent at once")
                .containsOnlyKeys("200");
    }

    @Test
    void twoHundredWrongTokensFromOneAddressAreCutOffAndTheRightTokenIsRefusedUntilTheWindowEnds() throws Exception {
        Map<String, Integer> answers = new TreeMap<>();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> guess = admin.get(SWITCHES).token("guess-" + i).send();
            statuses.add(guess.statusCode());
            JsonNode body = TestJson.JSON.readTree(guess.body());
            assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
            answers.merge(guess.statusCode() + " " + body.path("code").asText(), 1, Integer::sum);
        }
        HttpResponse<String> right = admin.get(SWITCHES).token(TOKEN).send();
        System.out.println("200 wrong X-Admin-Token guesses answered " + answers + "; the right token then "
                + right.statusCode() + " " + right.body());

        assertThat(statuses.subList(0, 10))
                .as("the failures allowed: the plain refusal")
                .containsOnly(403);
        assertThat(answers)
                .as("past the limit no guess is compared any more")
                .containsEntry("403 0002", 10)
                .containsEntry("429 0006", 190);
        assertThat(right.statusCode())
                .as("the right token right after 200 guesses is refused like a wrong one")
                .isEqualTo(429);
        JsonNode body = TestJson.JSON.readTree(right.body());
        assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).isEqualTo("0006");
        assertThat(body.path("info").asText())
                .startsWith("rate limited: 10 failed sign-ins from this address, try again in ");
        assertThat(Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 600L);
        assertThat(right.headers().firstValue("Cache-Control"))
                .as("ResponseHeadersFilter's headers on the refusal")
                .hasValue("no-store");
        assertThat(right.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        assertThat(admin.get(SWITCHES)
                        .token(TOKEN)
                        .headers(Map.of("X-Forwarded-For", "203.0.113.9"))
                        .send()
                        .statusCode())
                .as("X-Forwarded-For is not trusted without server.forward-headers-strategy: still this address")
                .isEqualTo(429);
        assertThat(admin.get("/actuator/prometheus").token(TOKEN).send().statusCode())
                .as("the actuator takes the same token: refused too")
                .isEqualTo(429);

        redisson.getKeys()
                .delete(keys.key("console", keys.slot("login-failures"), "127.0.0.1")); // the operator's way back
        assertThat(admin.get(SWITCHES).token(TOKEN).send().statusCode()).isEqualTo(200);
    }

    @Test
    void wrongTokensAtTheActuatorCountAndRightOnesNever() throws Exception {
        for (int i = 0; i < 30; i++) {
            assertThat(admin.get(SWITCHES).token(TOKEN).send().statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 10; i++) {
            admin.get("/actuator/health").token("guess-" + i).send();
        }
        HttpResponse<String> right = admin.get(SWITCHES).token(TOKEN).send();
        assertThat(right.statusCode())
                .as("ten wrong tokens at /actuator/health (details or none: an oracle) locked the address")
                .isEqualTo(429);
        assertThat(TestJson.JSON.readTree(right.body()).path("code").asText()).isEqualTo("0006");
    }

    @Test
    void guessesSpreadOverAddressesReachTheLimitOfAllAddressesButNotThePartnersApi() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 13950, "http://127.0.0.1:1/cb");
        Map<Integer, Integer> answers = new TreeMap<>();
        for (int host = 2; host <= 6; host++) {
            for (int i = 0; i < 8; i++) {
                answers.merge(from("127.0.0." + host, "guess-" + host + "-" + i), 1, Integer::sum);
            }
        }
        int fresh = from("127.0.0.7", TOKEN);
        int usual = admin.get(SWITCHES).token(TOKEN).send().statusCode();
        System.out.println("40 guesses from 5 addresses answered " + answers + "; the right token from a sixth " + fresh
                + ", from 127.0.0.1 " + usual);
        assertThat(answers).as("under each address's own limit").containsExactly(Map.entry(403, 40));
        assertThat(fresh)
                .as("past the limit of all addresses a new address with the right token is refused")
                .isEqualTo(429);
        assertThat(usual).isEqualTo(429);

        assertThat(mall.lock("u-spread", "").path("code").asText())
                .as("the partners' trade API is not guarded by it")
                .isEqualTo("0000");
    }

    /**
     * The limit of all addresses was a lock-out anyone reaching the admin paths could cause: 40 guesses spread over
     * five addresses and every operator's token call answered 429 for the window (on main the operator below got 429).
     * Now an address that presented the right token lately is not locked out by it; guessing stays bounded: a new
     * address is refused whatever it sends, and a known address keeps its own limit.
     */
    @Test
    void guessesSpreadOverAddressesNoLongerLockOutAnOperatorsKnownAddressAndStayCutOff() throws Exception {
        assertThat(from("127.0.0.9", TOKEN)).as("an operator's usual address").isEqualTo(200);
        Map<Integer, Integer> answers = new TreeMap<>();
        for (int host = 2; host <= 6; host++) {
            for (int i = 0; i < 8; i++) {
                answers.merge(from("127.0.0." + host, "guess-" + host + "-" + i), 1, Integer::sum);
            }
        }
        int operator = from("127.0.0.9", TOKEN);
        int fresh = from("127.0.0.7", TOKEN);
        int moreGuesses = from("127.0.0.8", "guess-8");
        System.out.println("40 guesses from 5 addresses answered " + answers + "; then the operator's known address "
                + operator + ", the right token from a new address " + fresh + ", a guess from another " + moreGuesses);

        assertThat(answers).containsExactly(Map.entry(403, 40));
        assertThat(operator)
                .as("the operator's known address is not locked out")
                .isEqualTo(200);
        assertThat(fresh).as("a new address is refused, the right token too").isEqualTo(429);
        assertThat(moreGuesses).as("no further guess is compared").isEqualTo(429);

        Map<Integer, Integer> fromKnown = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            fromKnown.merge(from("127.0.0.9", "guess-9-" + i), 1, Integer::sum);
        }
        assertThat(fromKnown)
                .as("guesses from a known address are cut off by its own limit")
                .containsExactly(Map.entry(403, 10), Map.entry(429, 2));
        assertThat(from("127.0.0.9", TOKEN)).isEqualTo(429);
    }

    /** The status of a GET of the switches with the token, sent from a local address of the test's choosing. */
    private int from(String localAddress, String token) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + SWITCHES + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Admin-Token: " + token
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            return Integer.parseInt(text.substring(9, 12));
        }
    }
}
