package com.groupbuy.market.ops;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.StdoutPipe;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service's stdout a pipe whose reader stalls (journald rate-limited or hung, a log shipper blocked, a full disk
 * under it): the pipe's 64 KiB fill and every write to stdout blocks. The console appender wrote synchronously, so
 * the first request that logged a line blocked in that write holding Logback's appender lock, and every request that
 * logged after it waited behind: locks got no answer until the reader read again. Now the console is written from a
 * bounded queue that drops lines while the pipe is full ({@code gbm.logging.console-async}): requests answer, the
 * dropped lines are counted ({@code gbm.log.console.dropped}) and told in a WARN once the reader reads again, and the
 * lines of an orderly stop are all written.
 */
@IntegrationTest
class StalledStdoutIT {

    /** A lock answers in milliseconds; this is a stall, not a slow machine. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private static final String ADMIN_TOKEN = "stdout-admin-token-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    JdbcTemplate jdbc;

    @Value("${gbm.test.database}")
    String database;

    @Value("${gbm.redis.key-prefix}")
    String keyPrefix;

    @Test
    void aStalledLogReaderStallsNoRequestAndTheStopIsStillLogged() throws Exception {
        List<String> arguments = List.of(
                "--spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                        + IsolatedDatabaseInitializer.PARAMS,
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--gbm.redis.key-prefix=" + keyPrefix,
                "--gbm.admin.token=" + ADMIN_TOKEN,
                // The test profile writes the console synchronously (captured output is read right after the
                // action); production's setting, and a queue small enough for a few locks to overflow it.
                "--gbm.logging.console-async=true",
                "--gbm.logging.console-queue-size=16");
        StdoutPipe stdout;
        try (AppProcess app = AppProcess.startPiped("stdout", arguments)) {
            stdout = app.stdout();
            TradeClient mall = TradeClient.onNewGoods(app.port(), jdbc, 13800, "http://127.0.0.1:1/cb");
            mall.team("before");

            stdout.pause();
            Thread filler = StdoutPipe.fill(app.pid(), 4L * StdoutPipe.PIPE_BUFFER);
            await(() -> stdout.unread() >= StdoutPipe.PIPE_BUFFER);

            List<String> answers = new ArrayList<>();
            try {
                for (int i = 0; i < 40 && answers.stream().noneMatch(a -> a.contains("none within")); i++) {
                    answers.add("lock stalled-" + i + ": " + answer(lock(app.port(), "stalled-" + i)));
                }
                answers.add("settlement: " + answer(settlement(app.port(), "before")));
                answers.add("health: " + answer(health(app.port())));
            } finally {
                stdout.resume();
            }
            filler.join(15_000);
            // The reader reads again: the service is back whatever became of the requests during the stall.
            assertThat(mall.lock("after", "").path("code").asText()).isEqualTo("0000");
            await(() -> stdout.text().contains("lock outTradeNo=out-after "));

            assertThat(answers)
                    .as("answers while stdout's reader stalled")
                    .allMatch(a -> a.contains("HTTP 200"))
                    .filteredOn(a -> a.startsWith("lock"))
                    .allMatch(a -> a.contains("\"code\":\"0000\""));
            assertThat(stdout.text()).containsPattern("WARN .*console log stalled: \\d+ lines? dropped");
            HttpResponse<String> dropped = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + app.port() + "/actuator/metrics/gbm.log.console.dropped"))
                            .header("X-Admin-Token", ADMIN_TOKEN)
                            .timeout(ANSWER_WITHIN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(TestJson.JSON
                            .readTree(dropped.body())
                            .path("measurements")
                            .path(0)
                            .path("value")
                            .asDouble())
                    .as("gbm.log.console.dropped: %s", dropped.body())
                    .isPositive();
        }
        // Queued lines are written on an orderly stop: the pool's close is among the last (read after the exit).
        await(() -> stdout.text().contains("gbm-pool - Shutdown completed."));
    }

    private String answer(HttpRequest request) throws Exception {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return "HTTP " + response.statusCode() + " " + response.body();
        } catch (HttpTimeoutException stalled) {
            return "none within " + ANSWER_WITHIN.toSeconds() + " s";
        }
    }

    private static HttpRequest lock(int port, String user) {
        return post(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + user + "\",\"teamId\":\"\",\"activityId\":13800,\"goodsId\":\"g13800\","
                        + "\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + user
                        + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}");
    }

    private static HttpRequest settlement(int port, String user) {
        return post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody(user, TradeClient.now()));
    }

    private static HttpRequest health(int port) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(ANSWER_WITHIN)
                .build();
    }

    private static HttpRequest post(int port, String path, String json) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(ANSWER_WITHIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }
}
