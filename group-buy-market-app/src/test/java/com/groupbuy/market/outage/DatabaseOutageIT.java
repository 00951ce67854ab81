package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.OutageAnswers;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * Issue 13 item 5, database: the service reaches the shared MariaDB through a TCP proxy of this test; with the proxy
 * cut, a lock answers HTTP 503 E0401 with Retry-After within a bound (then at once, from the breaker), and locks
 * succeed again once the proxy is open.
 */
@IntegrationTest
@ContextConfiguration(initializers = DatabaseOutageIT.ThroughProxy.class)
class DatabaseOutageIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    static final TcpProxy PROXY;

    static {
        try {
            PROXY = TcpProxy.to(3306);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class's own database, as every test gets, but reached through the proxy. */
    static class ThroughProxy extends IsolatedDatabaseInitializer {
        /** Empty, as before the template copy: the context's Flyway migrates it through the proxy. */
        ThroughProxy() {
            super(Start.EMPTY);
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            super.initialize(context);
            String database = context.getEnvironment().getProperty("gbm.test.database");
            TestPropertyValues.of(
                            "spring.datasource.url=jdbc:mysql://127.0.0.1:" + PROXY.port() + "/" + database + PARAMS)
                    .applyTo(context);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void lockAnswers503E0401FastWhileTheDatabaseIsUnreachableAndRecovers(CapturedOutput output) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 13400, "http://127.0.0.1:1/cb");
        String teamId = mall.team("d1");

        PROXY.cut();
        List<Long> millis = new ArrayList<>();
        List<String> causes = new ArrayList<>();
        for (int i = 2; i <= 8; i++) {
            int from = output.getOut().length();
            long start = System.nanoTime();
            HttpResponse<String> answer = TestJson.post(port, LOCK, lockBody("d" + i, teamId));
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            JsonNode body = TestJson.JSON.readTree(answer.body());
            assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("E0401");
            causes.add(OutageAnswers.causeLoggedSince(output, from, LOCK, "database"));
        }
        System.out.println("E0401 answers while the database was cut took (ms): " + millis + ", causes: " + causes);
        // Bounded by the pool's 1 s connection-timeout (Hikari's default, 30 s, is what each answer must not wait):
        // 5 s leaves a loaded machine room and is still a sixth of it.
        assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
        // "Then at once": told by what answered, the breaker (it throws before asking the pool for a connection), not
        // by a time a loaded machine can miss. Its threshold is 3 failures, and it lets a probe through (which waits
        // the pool's second) only 2 s after it opened, so of the four answers after the third at least two are its.
        assertThat(causes.subList(3, 7))
                .as("the breaker answers without waiting: %s", causes)
                .filteredOn(OutageAnswers::byBreaker)
                .hasSizeGreaterThanOrEqualTo(2);

        PROXY.open();
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode joined;
        do {
            Thread.sleep(250);
            joined = TestJson.JSON.readTree(
                    TestJson.post(port, LOCK, lockBody("d9", teamId)).body());
        } while (!"0000".equals(joined.path("code").asText()) && System.currentTimeMillis() < deadline);
        assertThat(joined.path("code").asText())
                .as("locks succeed once the database is back")
                .isEqualTo("0000");
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .as("only the locks that were answered 0000 hold places")
                .isEqualTo(2);
    }

    private static String lockBody(String userId, String teamId) {
        return "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId
                + "\",\"activityId\":13400,\"goodsId\":\"g13400\","
                + "\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + userId + "\","
                + "\"notifyUrl\":\"http://127.0.0.1:1/cb\"}";
    }
}
