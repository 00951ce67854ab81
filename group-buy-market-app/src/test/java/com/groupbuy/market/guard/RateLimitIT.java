package com.groupbuy.market.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * #17: rate limits hold across instances. Two instances (two Spring contexts, one database, one Redis) take lock
 * requests of one source + channel as fast as sixteen clients send them; a pair limit of 5/s set at run time through
 * the admin endpoint admits 5/s ±10 % over a ten-second window, counting both instances together. Over a user's
 * limit the answer is 0006 and nothing is written.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=it-admin")
class RateLimitIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final int RATE = 5;
    private static final int CLIENTS = 16;
    private static final long WINDOW_MS = 10_000;

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    private SecondInstance second;

    @BeforeEach
    void setUp() {
        jdbc.update("DELETE FROM dcc_switch");
        second = SecondInstance.like(environment, "gbm.admin.token=it-admin");
    }

    @AfterEach
    void tearDown() throws Exception {
        // Back to no limit for the next test (both instances reload the stored switches).
        change(port, "rateLimitPairs", "");
        change(port, "rateLimitUser", "0");
        second.close();
    }

    @Test
    void aPairLimitedAtRunTimeIsAdmittedAtItsRateAcrossBothInstances() throws Exception {
        change(port, "rateLimitPairs", "s01:c01=" + RATE);
        awaitSwitch(second.port(), "rateLimitPairs", "s01:c01=" + RATE);

        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger seq = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + WINDOW_MS * 1_000_000;
        for (int c = 0; c < CLIENTS; c++) {
            int target = c % 2 == 0 ? port : second.port();
            running.add(clients.submit(() -> {
                while (System.nanoTime() < end) {
                    int n = seq.incrementAndGet();
                    // Unknown goods: an admitted lock is refused by the use case (E0002), so nothing is written.
                    String code = lockCodeOrOutage(target, "u-rate-" + n, "g-unknown", "o-rate-" + n);
                    if ("E0401".equals(code)) {
                        // A shared machine so loaded that a Redis or database call timed out: neither counted.
                        unavailable.incrementAndGet();
                    } else if ("0006".equals(code)) {
                        limited.incrementAndGet();
                    } else {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
        // Over the window the clients sent in: every request was sent inside it, so every admission was decided in it
        // or, for the last requests in flight, a few hundred milliseconds after (at most RATE x that: a few %).
        double seconds = WINDOW_MS / 1000.0;
        double rate = admitted.get() / seconds;

        System.out.printf(
                "RateLimitIT: %d admitted, %d limited, %d E0401 in %.2f s = %.2f/s (limit %d/s)%n",
                admitted.get(), limited.get(), unavailable.get(), seconds, rate, RATE);
        // Saturated: had the clients asked for less than the limit, the admitted rate would fall below the band.
        assertThat(limited.get())
                .as("the clients asked for more than the limit")
                .isPositive();
        assertThat(rate)
                .as("admitted per second over %.2f s (%d admitted, %d limited)", seconds, admitted.get(), limited.get())
                .isBetween(RATE * 0.9, RATE * 1.1);

        // Lifted at run time: every request is admitted again.
        change(second.port(), "rateLimitPairs", "");
        awaitSwitch(port, "rateLimitPairs", "");
        for (int i = 0; i < 2 * RATE; i++) {
            assertThat(lockCode(i % 2 == 0 ? port : second.port(), "u-free-" + i, "g-unknown", "o-free-" + i))
                    .isNotEqualTo("0006");
        }
    }

    @Test
    void overAUsersLimitTheAnswerIs0006AndNothingIsWritten() throws Exception {
        TradeClient.onNewGoods(port, jdbc, 4001, "http://127.0.0.1:1/cb");
        change(port, "rateLimitUser", "2");
        awaitSwitch(second.port(), "rateLimitUser", "2");

        // Sent at once, so all five are checked within the same second whatever the machine's load.
        ExecutorService senders = Executors.newFixedThreadPool(5);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Future<String>> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            sent.add(senders.submit(() -> {
                go.await();
                return lockCode(n % 2 == 0 ? port : second.port(), "u-busy", "g4001", "o-busy-" + n);
            }));
        }
        go.countDown();
        List<String> codes = new ArrayList<>();
        List<String> refusedTradeNos = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            codes.add(sent.get(i).get());
            if ("0006".equals(codes.get(i))) {
                refusedTradeNos.add("o-busy-" + i);
            }
        }
        senders.shutdown();
        assertThat(codes.stream().filter("0006"::equals).count())
                .as(codes.toString())
                .isEqualTo(3);
        assertThat(codes)
                .as("one lock admitted and taken, the other admitted and over the take limit")
                .contains("0000", "E0103");
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = 'u-busy'", Integer.class))
                .as("only the admitted lock wrote its order")
                .isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE out_trade_no IN (?, ?, ?)",
                        Integer.class,
                        refusedTradeNos.toArray()))
                .isZero();
        // Another user of the same pair is not held back by this one.
        assertThat(lockCode(second.port(), "u-calm", "g4001", "o-calm")).isEqualTo("0000");
        assertThat(meters.get("gbm.ratelimit.refused")
                                .tag("scope", "user")
                                .counter()
                                .count()
                        + second.bean(MeterRegistry.class)
                                .get("gbm.ratelimit.refused")
                                .tag("scope", "user")
                                .counter()
                                .count())
                .isEqualTo(3);
    }

    private static String lockCode(int port, String userId, String goodsId, String outTradeNo) {
        try {
            JsonNode answer = TestJson.postEnvelope(
                    port,
                    LOCK,
                    "{\"userId\":\"" + userId + "\",\"teamId\":\"\","
                            + "\"activityId\":4001,\"goodsId\":\"" + goodsId
                            + "\",\"source\":\"s01\",\"channel\":\"c01\","
                            + "\"outTradeNo\":\"" + outTradeNo + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}");
            if ("0006".equals(answer.path("code").asText())) {
                assertThat(answer.path("data").isNull()).isTrue();
            }
            return answer.path("code").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer's code, also for a 503 E0401 (the envelope is the same). */
    private static String lockCodeOrOutage(int port, String userId, String goodsId, String outTradeNo) {
        try {
            var answer = TestJson.post(
                    port,
                    LOCK,
                    "{\"userId\":\"" + userId + "\",\"teamId\":\"\","
                            + "\"activityId\":4001,\"goodsId\":\"" + goodsId
                            + "\",\"source\":\"s01\",\"channel\":\"c01\","
                            + "\"outTradeNo\":\"" + outTradeNo + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}");
            JsonNode body = TestJson.JSON.readTree(answer.body());
            assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
            assertThat(answer.statusCode())
                    .isEqualTo("E0401".equals(body.path("code").asText()) ? 503 : 200);
            return body.path("code").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void change(int port, String name, String value) throws Exception {
        JsonNode answer = TestJson.JSON.readTree(TestJson.post(
                        port,
                        "/api/v1/gbm/admin/switches/" + name,
                        "{\"value\":\"" + value + "\",\"operator\":\"rate-it\"}",
                        Map.of("X-Admin-Token", "it-admin"))
                .body());
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
    }

    private static void awaitSwitch(int port, String name, String value) throws InterruptedException {
        TestJson.await(() -> {
            try {
                var request = java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/gbm/admin/switches"))
                        .header("X-Admin-Token", "it-admin")
                        .build();
                String body = java.net.http.HttpClient.newHttpClient()
                        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                return value.equals(
                        TestJson.JSON.readTree(body).path("data").path(name).asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
