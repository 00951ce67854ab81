package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A lock's {@code notifyUrl} naming a port no connection can use ({@code :99999}, {@code :0}, {@code :65536}) passed
 * the URL's form check (java.net.URI takes any digits as a port) and the lock committed {@code 0000}: the team's
 * callbacks could then never be sent (OkHttp refuses such a URL), each retried until FAIL. Bad input is now refused
 * {@code E0204} naming the port, nothing written; a port from 1 to 65535 is as before.
 */
@SharedContextIntegrationTest
class NotifyUrlPortIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNotifyUrlWithAPortOutsideOneTo65535IsRefusedAndNothingIsWritten() throws Exception {
        List<String> urls = List.of("http://127.0.0.1:99999/cb", "http://127.0.0.1:0/cb", "http://127.0.0.1:65536/cb");
        for (int i = 0; i < urls.size(); i++) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 95_301 + i, urls.get(i));

            JsonNode answer = mall.lock("port" + i, "");

            assertThat(answer.path("code").asText())
                    .as("%s: %s", urls.get(i), answer)
                    .isEqualTo("E0204");
            assertThat(answer.path("info").asText()).as(urls.get(i)).contains("port");
            assertThat(answer.path("data").isNull()).isTrue();
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id IN ('port0', 'port1', 'port2')",
                        Integer.class))
                .as("no order written")
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order WHERE activity_id BETWEEN 95301 AND 95303",
                        Integer.class))
                .as("no team written")
                .isZero();
    }

    @Test
    void aNotifyUrlWithAPortFromOneTo65535IsLockedAsBefore() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 95_311, "http://127.0.0.1:65535/cb");

        JsonNode answer = mall.lock("port-max", "");

        assertThat(answer.path("code").asText()).as("%s", answer).isEqualTo("0000");
    }
}
