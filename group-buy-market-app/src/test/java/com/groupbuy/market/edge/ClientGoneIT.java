package com.groupbuy.market.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.trigger.http.TradeEdgeFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A lock that committed is never reported as our fault because its client left before the answer was written: the
 * mall hung up (a timeout on its side, a reset) and the write of the answer failed. That failure went to the
 * exception handler as "unexpected" — an ERROR with a stack trace and the request metered as {@code 0001} — on the
 * lean path and on Spring's, while the order was locked and stays locked. The metered code is the answer's own.
 */
@SharedContextIntegrationTest
class ClientGoneIT {

    private static final AtomicLong ACTIVITIES = new AtomicLong(64_900L);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    FilterRegistrationBean<TradeEdgeFilter> tradeEdge;

    private long activity;

    @BeforeEach
    void setUp() {
        activity = ACTIVITIES.incrementAndGet();
        TradeClient.onNewGoods(port, jdbc, activity, "http://127.0.0.1:9/cb");
    }

    @AfterEach
    void leanAgain() {
        tradeEdge.getFilter().setEnabled(true);
    }

    @Test
    void aLockWhoseClientLeftBeforeItsAnswerIsMeteredAsTheSuccessItWasOnBothPaths() throws Exception {
        for (boolean lean : new boolean[] {true, false}) {
            tradeEdge.getFilter().setEnabled(lean);
            String user = (lean ? "gone-lean" : "gone-spring") + activity;
            long before = count("0000") + count("0001");
            long faultsBefore = count("0001");

            sendAndReset(lockBody(user));
            TestJson.await(() -> count("0000") + count("0001") > before);

            assertThat(jdbc.queryForObject(
                            "SELECT status FROM group_buy_order_list WHERE out_trade_no = ?",
                            Integer.class,
                            "out-" + user))
                    .as("the lock committed")
                    .isZero();
            assertThat(count("0001") - faultsBefore)
                    .as((lean ? "lean" : "Spring's") + " path: a committed lock metered as our fault")
                    .isZero();
            assertThat(count("0000") + count("0001") - before).isEqualTo(1);
        }
    }

    private long count(String code) {
        Timer timer = meters.find("gbm.trade.requests")
                .tag("operation", "lock")
                .tag("code", code)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    /** Sends the request and closes at once with a reset: gone before the service can answer. */
    private void sendAndReset(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + TradeEdgeFilter.LOCK + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                            + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }
    }

    private String lockBody(String user) {
        return "{\"userId\":\"" + user + "\",\"teamId\":\"\",\"activityId\":" + activity + ",\"goodsId\":\"g" + activity
                + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + user
                + "\",\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
    }
}
