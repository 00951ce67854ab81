package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A refused payment notice is recorded with the trade time the mall sent ({@code late_payment.out_trade_time}). A
 * time before the year 1 in UTC ({@code "0000-06-01 12:00:00"}, or {@code "0001-01-01 07:59:59"} in UTC+8) was
 * written as the year of its era, so the record named another time than the notice (year 0 is 1 BC: stored as 0001).
 * Both shapes of {@code outTradeTime} now say times from the epoch on; earlier text is {@code 0002} naming the field,
 * nothing recorded.
 */
@SharedContextIntegrationTest
class TradeTimeAsSentIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(93_100);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private TradeClient mall;

    @BeforeEach
    void setUp() {
        mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), "http://127.0.0.1:9/cb");
    }

    @Test
    void aLatePaymentNoticeWithATimeBeforeTheEpochIsRefusedAndNothingIsRecorded() throws Exception {
        mall.team("late-y0");
        assertThat(mall.refund("late-y0").path("data").path("code").asText()).isEqualTo("success");

        for (String time : List.of("0000-06-01 12:00:00", "0001-01-01 07:59:59", "1969-12-31 23:59:59")) {
            JsonNode answer = mall.settle("late-y0", time);

            assertThat(answer.path("code").asText()).as("%s: %s", time, answer).isEqualTo("0002");
            assertThat(answer.path("info").asText()).as(time).contains("outTradeTime");
        }
        assertThat(recorded("late-y0")).as("no late payment recorded").isEmpty();
    }

    @Test
    void aNoticeOutsideTheTeamsWindowWithATimeBeforeTheEpochIsRefusedAndNothingIsRecorded() throws Exception {
        mall.team("win-y1");

        JsonNode answer = mall.settle("win-y1", "0001-01-01 00:00:00");

        assertThat(answer.path("code").asText()).as("%s", answer).isEqualTo("0002");
        assertThat(recorded("win-y1")).as("no refused payment recorded").isEmpty();
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE user_id = 'win-y1'", Integer.class))
                .as("the order is still only locked")
                .isZero();
    }

    @Test
    void theEpochItselfIsATimeAndIsRecordedAsSent() throws Exception {
        mall.team("win-e0");

        JsonNode text = mall.settle("win-e0", "1970-01-01 08:00:00");
        JsonNode again = mall.settle("win-e0", "0");

        assertThat(text.path("code").asText()).as("%s", text).isEqualTo("E0106");
        assertThat(again.path("code").asText()).as("%s", again).isEqualTo("E0106");
        assertThat(recorded("win-e0")).containsExactly("1970-01-01 00:00:00.000");
    }

    /**
     * Text with a signed year of more than four digits ({@code "+10000-01-02 00:00:00"}: the parser's {@code uuuu}
     * takes a sign and more digits) parsed, and a year past 9999 in UTC met the database's DATETIME range in the
     * refused notice's record: MariaDB refused the insert (1292) and the mall was answered HTTP 500 {@code 0001}, our
     * fault, for its own malformed field (on main: 500 for the first of these, the order locked or closed alike). The
     * year is now four digits, no sign, as documented ({@code yyyy-MM-dd HH:mm:ss}): {@code 0002}, nothing recorded.
     */
    @Test
    void aNoticeWithASignedYearOfMoreThanFourDigitsIsRefusedAndNothingIsRecorded() throws Exception {
        mall.team("win-y10k");
        mall.team("late-y10k");
        assertThat(mall.refund("late-y10k").path("data").path("code").asText()).isEqualTo("success");

        for (String user : List.of("win-y10k", "late-y10k")) {
            for (String time : List.of("+10000-01-02 00:00:00", "+999999999-12-31 23:59:59", "+10000-01-01 00:00:00")) {
                HttpResponse<String> answer =
                        TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody(user, time));
                JsonNode body = TestJson.JSON.readTree(answer.body());

                assertThat(answer.statusCode())
                        .as("%s %s: %s", user, time, answer.body())
                        .isEqualTo(200);
                assertThat(body.path("code").asText())
                        .as("%s %s: %s", user, time, body)
                        .isEqualTo("0002");
                assertThat(body.path("info").asText()).as(time).contains("outTradeTime");
            }
            assertThat(recorded(user)).as("%s: nothing recorded", user).isEmpty();
        }
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE user_id = 'win-y10k'", Integer.class))
                .as("the order is still only locked")
                .isZero();
    }

    /** The latest time each shape can say is a time, recorded as sent: 9999-12-31 23:59:59 and 13 digits. */
    @Test
    void theLatestTimesOfBothShapesAreTimesAndAreRecordedAsSent() throws Exception {
        mall.team("win-max");
        mall.team("win-maxd");

        JsonNode text = mall.settle("win-max", "9999-12-31 23:59:59");
        JsonNode digits = mall.settle("win-maxd", "9999999999999");

        assertThat(text.path("code").asText()).as("%s", text).isEqualTo("E0106");
        assertThat(digits.path("code").asText()).as("%s", digits).isEqualTo("E0106");
        assertThat(recorded("win-max")).containsExactly("9999-12-31 15:59:59.000");
        assertThat(recorded("win-maxd")).containsExactly("2286-11-20 17:46:39.999");
    }

    /** The trade times recorded for the user's refused notices, as the database holds them (UTC). */
    private List<String> recorded(String userId) {
        return jdbc
                .queryForList(
                        "SELECT DATE_FORMAT(out_trade_time, '%Y-%m-%d %H:%i:%s.%f') FROM late_payment WHERE user_id = ?",
                        String.class, userId)
                .stream()
                .map(t -> t.substring(0, 23))
                .toList();
    }
}
