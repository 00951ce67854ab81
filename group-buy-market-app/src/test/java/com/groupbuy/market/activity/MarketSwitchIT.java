package com.groupbuy.market.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The degrade switch, read from configuration, refuses every trial with E0003 before any configuration is read. */
@IntegrationTest
@TestPropertySource(properties = "gbm.switch.degrade=true")
class MarketSwitchIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void degradeSwitchOnRefusesWithE0003() throws Exception {
        new MarketConfigFixture(jdbc).goods("g-deg", 2001, "ZJ", "20", "100.00");

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + port + "/api/v1/gbm/index/query_group_buy_market_config"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"userId\":\"u1\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g-deg\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(response.body()).path("code").asText())
                .isEqualTo("E0003");
    }
}
