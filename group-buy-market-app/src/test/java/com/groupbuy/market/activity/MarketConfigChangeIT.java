package com.groupbuy.market.activity;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.math.BigDecimal;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An operator changes a goods' price in two rows at once (its list price in {@code sku}, its discount in
 * {@code group_buy_discount}, one transaction), keeping the group price about the same. Until the configuration cache
 * has caught up, trials and locks may answer the old price; they must never answer a price made of one row as it was
 * and the other as it is, which no configuration ever said. With every row cached on its own (its own load time, its
 * own expiry), the discount read earlier through another goods was reloaded new while this goods' list price was still
 * the old one: the new 110 off the old 100.00, a goods listed at 200.00 sold for 0.01 (the trial and the lock agree, so
 * the mall charges it) until the list price expired too. A short cache here (1 s) so the test waits for it.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.market.config-cache-ttl=1s")
class MarketConfigChangeIT {

    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aPriceChangedInTwoRowsAtOnceIsNeverAnsweredHalfOldHalfNew() throws Exception {
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        fixture.goods("g-mix-a", 59_001, "ZJ", "20", "100.00");
        fixture.goods("g-mix-b", 59_002, "ZJ", "20", "100.00");
        // Both activities priced by one discount, as operators share a discount between activities.
        jdbc.update("UPDATE group_buy_activity SET discount_id = 'd59001' WHERE activity_id = 59002");

        // The discount is first read through goods b; goods a (its list price) half a cache lifetime later.
        assertThat(payPrice("g-mix-b")).isEqualByComparingTo("80.00");
        long discountRead = System.nanoTime();
        await(() -> System.nanoTime() - discountRead >= 500_000_000L);
        assertThat(payPrice("g-mix-a")).isEqualByComparingTo("80.00");

        // List price 100.00 → 200.00 and 20 off → 110 off, in one transaction: the group price 80.00 → 90.00.
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE sku SET original_price = 200.00 WHERE goods_id = 'g-mix-a'");
                statement.executeUpdate(
                        "UPDATE group_buy_discount SET market_expr = '110' WHERE discount_id = 'd59001'");
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }
            return null;
        });

        List<BigDecimal> answered = new ArrayList<>();
        await(() -> {
            BigDecimal price = payPrice("g-mix-a");
            answered.add(price);
            return price.compareTo(new BigDecimal("90.00")) == 0;
        });
        assertThat(answered)
                .as("every price answered while the cache caught up was the old configuration's or the new one's")
                .allMatch(price ->
                        price.compareTo(new BigDecimal("80.00")) == 0 || price.compareTo(new BigDecimal("90.00")) == 0);
    }

    private BigDecimal payPrice(String goodsId) {
        try {
            JsonNode answer = TestJson.postEnvelope(
                    port,
                    TRIAL,
                    "{\"userId\":\"u1\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"" + goodsId + "\"}");
            assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
            return answer.path("data").path("goods").path("payPrice").decimalValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
