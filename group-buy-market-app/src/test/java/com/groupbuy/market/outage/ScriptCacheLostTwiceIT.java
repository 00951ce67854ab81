package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.OutageAnswers;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.RedisAdminLink;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A Redis that loses its script cache again between Redisson's reload and its second call: Redisson sends a place
 * script as {@code EVALSHA}, and on {@code NOSCRIPT} loads it ({@code SCRIPT LOAD}) and sends the same {@code EVALSHA}
 * once more, within the one call; a second {@code SCRIPT FLUSH}, a restart or a failover in between answers that one
 * {@code NOSCRIPT} too, and it reaches us. Staged deterministically on a private redis-server (the shared one is never
 * flushed) behind a {@link TcpProxy} that, while armed, flushes the scripts on a connection of its own before it
 * passes on each {@code EVALSHA}: every one meets {@code NOSCRIPT}, the reloaded one included.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.outage.breaker-open-for=1s", "gbm.places.on-start=false"})
@ExtendWith(OutputCaptureExtension.class)
class ScriptCacheLostTwiceIT {

    private static final long ACTIVITY = 27_450;

    private static final PrivateRedis REDIS;
    private static final RedisAdminLink FLUSHER;
    private static final TcpProxy PROXY;

    private static volatile boolean armed;
    private static final AtomicInteger FLUSHES = new AtomicInteger();
    /** The scripts Redisson loaded again while armed. */
    private static final List<String> RELOADED = new CopyOnWriteArrayList<>();

    static {
        try {
            REDIS = PrivateRedis.start();
            FLUSHER = RedisAdminLink.open(REDIS.port());
            PROXY = TcpProxy.toRedisWatching(REDIS.port(), ScriptCacheLostTwiceIT::beforeEach);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void throughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", PROXY::port);
    }

    @AfterAll
    static void stop() throws Exception {
        PROXY.cut();
        FLUSHER.close();
        REDIS.kill();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamPlaceReservation places;

    /**
     * A join while every EVALSHA meets NOSCRIPT, the one after Redisson's reload too: 503 E0401 with Retry-After (a
     * dependency is down, nothing done), the log naming NOSCRIPT without an ERROR, and nothing written, in the database
     * or in Redis. Once the cache stays, the same join is answered 0000. Failed on main: 500 0001.
     */
    @Test
    void aScriptCacheLostAgainAfterTheReloadIsAnOutageAndWritesNothing(CapturedOutput output) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY, "http://127.0.0.1:1/cb");
        String teamId = mall.team("m1", "m2");
        String placesBefore = placeFields(teamId);
        int from = output.getOut().length();

        armed = true;
        HttpResponse<String> join;
        try {
            join = mall.lockAnswer("m3", teamId);
        } finally {
            armed = false;
        }

        JsonNode body = TestJson.JSON.readTree(join.body());
        assertThat(body.path("code").asText()).as(join.body()).isEqualTo("E0401");
        assertThat(join.statusCode()).isEqualTo(503);
        assertThat(join.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(FLUSHES).as("the first EVALSHA and the one after the reload").hasValueGreaterThanOrEqualTo(2);
        assertThat(RELOADED)
                .as("Redisson loaded the reserve script again in between")
                .anyMatch(script -> script.contains("'t:' .. ARGV[4]"));
        assertThat(placeFields(teamId)).as("the place script wrote nothing").isEqualTo(placesBefore);
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE out_trade_no = 'out-m3'", Integer.class))
                .as("no order row")
                .isZero();
        assertThat(OutageAnswers.causeLoggedSince(output, from, TradeClient.LOCK, "redis"))
                .startsWith("redis unavailable (RedisNoScriptException: NOSCRIPT");
        assertThat(output.getOut().substring(from)).doesNotContain("unexpected failure");

        HttpResponse<String> again = mall.lockAnswerOnceServed("m3", teamId);
        assertThat(TestJson.JSON.readTree(again.body()).path("code").asText())
                .as("the same join once the script cache stays")
                .isEqualTo("0000");
        assertThat(places.placesOf(teamId)).isEqualTo(3);
    }

    /** On the proxy's connection thread, before the command reaches Redis. */
    private static void beforeEach(List<byte[]> command) {
        if (!armed) {
            return;
        }
        String name = new String(command.get(0), StandardCharsets.US_ASCII);
        if (name.equalsIgnoreCase("EVALSHA") || name.equalsIgnoreCase("EVALSHA_RO")) {
            try {
                assertThat(FLUSHER.command("SCRIPT", "FLUSH")).isEqualTo("OK");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FLUSHES.incrementAndGet();
        } else if (name.equalsIgnoreCase("SCRIPT") && command.size() > 2) {
            RELOADED.add(new String(command.get(2), StandardCharsets.UTF_8));
        }
    }

    private String placeFields(String teamId) throws IOException {
        try (RedisAdminLink admin = RedisAdminLink.open(REDIS.port())) {
            return RedisMisconfIT.placeFields(admin, places, teamId);
        }
    }
}
