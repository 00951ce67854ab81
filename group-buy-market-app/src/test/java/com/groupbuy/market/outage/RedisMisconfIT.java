package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.RedisAdminLink;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A Redis that cannot persist: RDB snapshots on ({@code save}) and the last one failed (its directory is gone), so
 * with {@code stop-writes-on-bgsave-error yes} (the default) Redis refuses every write, and {@code PING}, with {@code
 * MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk…}, while reads
 * still work. Staged on a private Redis 7.0 whose {@code dir} the test may set ({@code enable-protected-configs}).
 */
@IntegrationTest
@PrivateRedisServer(args = {"--enable-protected-configs", "local"})
// A partner with a rate: its lock and settlement are counted by a script on Redis first (s01:c01 has none).
@TestPropertySource(properties = {"gbm.outage.breaker-open-for=1s", "gbm.rate-limit.pairs=s07:c07=1000"})
@ExtendWith(OutputCaptureExtension.class)
class RedisMisconfIT {

    private static final long ACTIVITY = 27_400;
    private static final String RATED_SETTLEMENT = "{\"source\":\"s07\",\"channel\":\"c07\",\"userId\":\"r1\","
            + "\"outTradeNo\":\"out-r1\",\"outTradeTime\":\"" + TradeClient.now() + "\"}";

    @Autowired
    PrivateRedis redis;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamPlaceReservation places;

    /**
     * Partners lock, settle and refund while Redis refuses writes for want of disk. A join (a place script's write) is
     * answered 503 E0401 with Retry-After and writes nothing, in the database or in Redis (the script's first write
     * was refused, so the script wrote nothing); the log says MISCONF, no ERROR. A settlement and a refund need no
     * Redis write to commit and are answered as done (the refund's give-back is owed, as with Redis down); a partner
     * with a rate is answered E0401 too (its count is a script's write). Once Redis persists again (a snapshot into a
     * directory that exists), the same join is answered 0000. Failed on main: the rated settlement and each join 500
     * 0001, an ERROR "unexpected failure" apiece, and the breaker never opened. Health is 503 with {@code redis}
     * OUT_OF_SERVICE while Redis cannot persist and UP once it does; on main it read 200 UP throughout.
     */
    @Test
    void writesRefusedForWantOfDiskAreAnOutageAndServeAgainOnceRedisPersists(CapturedOutput output, @TempDir Path dirs)
            throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY, "http://127.0.0.1:1/cb");
        String teamId = mall.team("m1", "m2");
        try (RedisAdminLink admin = RedisAdminLink.open(redis.port())) {
            Path gone = Files.createDirectory(dirs.resolve("gone"));
            assertThat(admin.command("CONFIG", "SET", "dir", gone.toString())).isEqualTo("OK");
            assertThat(admin.command("CONFIG", "SET", "save", "3600 1")).isEqualTo("OK");
            Files.delete(gone);
            admin.command("BGSAVE");
            TestJson.await(() -> persistence(admin).contains("rdb_last_bgsave_status:err"));
            assertThat(admin.command("SET", "probe", "1")).startsWith("-MISCONF");
            // Health says so before any partner meets it, writing nothing (a PING Redis refuses alike).
            for (String path : new String[] {"/actuator/health", "/actuator/health/traffic"}) {
                assertThat(TestJson.get(port, path))
                        .as(path + " while Redis cannot persist")
                        .startsWith("503 ")
                        .contains("\"redis\":{\"status\":\"OUT_OF_SERVICE\"")
                        .contains("\"persisting\":false")
                        .contains("MISCONF Redis is configured to save RDB snapshots");
            }
            String placesBefore = placeFields(admin, teamId);
            int from = output.getOut().length();

            // First, while the breaker is closed: the rate script itself is refused.
            HttpResponse<String> rated = TestJson.post(port, TradeClient.SETTLEMENT, RATED_SETTLEMENT);
            assertThat(rated.statusCode())
                    .as("a rated partner's count refused: " + rated.body())
                    .isEqualTo(503);
            assertThat(TestJson.JSON.readTree(rated.body()).path("code").asText())
                    .isEqualTo("E0401");
            for (int i = 3; i <= 6; i++) {
                HttpResponse<String> join = mall.lockAnswer("m" + i, teamId);
                assertThat(join.statusCode()).as(join.body()).isEqualTo(503);
                assertThat(join.headers().firstValue("Retry-After"))
                        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
                JsonNode body = TestJson.JSON.readTree(join.body());
                assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
                assertThat(body.path("code").asText()).isEqualTo("E0401");
            }
            assertThat(placeFields(admin, teamId))
                    .as("the place script wrote nothing")
                    .isEqualTo(placesBefore);
            assertThat(jdbc.queryForObject(
                            "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                    .as("nothing written for refused joins")
                    .isEqualTo(2);
            assertThat(mall.settle("m1").path("code").asText()).isEqualTo("0000");
            JsonNode refund = mall.refund("m2");
            assertThat(refund.path("code").asText()).as(refund.toString()).isEqualTo("0000");
            assertThat(refund.path("data").path("code").asText()).isEqualTo("success");

            String during = output.getOut().substring(from);
            assertThat(during)
                    .as("the log says why, without an ERROR")
                    .contains("answered E0401: redis unavailable (RedisException: MISCONF Redis is configured")
                    .contains("redis unavailable: circuit open")
                    .doesNotContain("unexpected failure");

            Path back = Files.createDirectory(dirs.resolve("back"));
            assertThat(admin.command("CONFIG", "SET", "dir", back.toString())).isEqualTo("OK");
            admin.command("BGSAVE");
            TestJson.await(() -> persistence(admin).contains("rdb_last_bgsave_status:ok"));
            assertThat(TestJson.get(port, "/actuator/health"))
                    .as("health once Redis persists again")
                    .startsWith("200 ")
                    .contains("\"redis\":{\"status\":\"UP\"");
        }
        HttpResponse<String> join = mall.lockAnswerOnceServed("m3", teamId);
        assertThat(TestJson.JSON.readTree(join.body()).path("code").asText())
                .as("the same join once Redis persists again")
                .isEqualTo("0000");
        HttpResponse<String> rated = TestJson.post(port, TradeClient.SETTLEMENT, RATED_SETTLEMENT);
        assertThat(rated.statusCode()).as(rated.body()).isEqualTo(200);
        assertThat(TestJson.JSON.readTree(rated.body()).path("code").asText())
                .as("the rated partner counted again, its settlement answered (no such order): " + rated.body())
                .isNotIn("0001", "E0401");
        assertThat(places.placesOf(teamId))
                .as("m1 and the join (m2's place given back or still owed)")
                .isBetween(2, 3);
    }

    private String placeFields(RedisAdminLink admin, String teamId) throws Exception {
        return placeFields(admin, places, teamId);
    }

    /** The team's place counter and how many fields its hash has (a holder adds two). */
    static String placeFields(RedisAdminLink admin, TeamPlaceReservation places, String teamId) throws IOException {
        return "n=" + admin.command("HGET", places.key(teamId), "n") + " fields="
                + admin.command("HLEN", places.key(teamId));
    }

    private static String persistence(RedisAdminLink admin) {
        try {
            return admin.command("INFO", "persistence");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
