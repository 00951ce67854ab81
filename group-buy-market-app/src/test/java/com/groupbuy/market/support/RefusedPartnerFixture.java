package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A partner the operator refuses live (the settlement black/allowlist switches, changed through the admin API as an
 * operator does, with the admin token {@value #ADMIN_TOKEN}, which the test class sets as {@code gbm.admin.token}):
 * its callback endpoint a real HTTP server ({@link #server()}), notified by a mall selling new goods ({@link
 * #mall()}). {@link #close()} admits everyone again (both switches emptied) and stops the partner's server.
 */
public final class RefusedPartnerFixture implements AutoCloseable {

    public static final String ADMIN_TOKEN = "it-admin";

    private final int port;
    private final String operator;
    private final MockWebServer partner;
    private final TradeClient mall;

    private RefusedPartnerFixture(int port, String operator, MockWebServer partner, TradeClient mall) {
        this.port = port;
        this.operator = operator;
        this.partner = partner;
        this.mall = mall;
    }

    /** The partner's server started and a mall on new goods of {@code activityId}; {@code operator} signs switches. */
    public static RefusedPartnerFixture start(int port, JdbcTemplate jdbc, long activityId, String operator)
            throws Exception {
        MockWebServer partner = new MockWebServer();
        partner.start();
        TradeClient mall = TradeClient.onNewGoods(
                port, jdbc, activityId, partner.url("/notify").toString());
        return new RefusedPartnerFixture(port, operator, partner, mall);
    }

    /** The partner's callback endpoint. */
    public MockWebServer server() {
        return partner;
    }

    /** The partner's mall, notified at {@link #server()}. */
    public TradeClient mall() {
        return mall;
    }

    /** Sets the live switch {@code name} to {@code pairs} ("source:channel,…"), which must be answered {@code 0000}. */
    public void switchTo(String name, String pairs) throws Exception {
        JsonNode answer = TestJson.JSON.readTree(TestJson.post(
                        port,
                        "/api/v1/gbm/admin/switches/" + name,
                        "{\"value\":\"" + pairs + "\",\"operator\":\"" + operator + "\"}",
                        Map.of("X-Admin-Token", ADMIN_TOKEN))
                .body());
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
    }

    /** Admits everyone again (both switches emptied), then stops the partner's server. */
    @Override
    public void close() throws Exception {
        try {
            switchTo("settlementBlacklist", "");
            switchTo("settlementAllowlist", "");
        } finally {
            partner.close();
        }
    }
}
