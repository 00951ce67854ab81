package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderLookupRow;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderRow;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Settlements' order reads read together (#19, {@code gbm.settlement.group-lookup.enabled}, branch settleread): each
 * caller gets exactly its own order. Buyers whose ids differ only in case or trailing spaces, and the same buyer and out
 * trade number of three partners (source + channel), each hold an order of their own; read in one batch, every key is
 * answered what its read alone ({@code queryOrder}) answers, and settled in a race, every notice pays its own order and
 * answers its team, a key no order has answers E0104, and no batch falls back (the repository's exact check of each
 * row's stored key against its caller's would send a batch the database matched loosely to be read alone).
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.settlement.group-lookup.enabled=true")
class SettlementLookupExactIdsIT {

    private static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(9500);
    /** Partners selling the goods: the first is TradeClient's. */
    private static final String[][] PARTNERS = {{"s01", "c01"}, {"s02", "c02"}, {"s01", "c02"}};

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IGroupBuySettlementDao dao;

    @Autowired
    MeterRegistry meters;

    private long activityId;
    private String goodsId;

    @BeforeEach
    void activity() {
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
        for (String[] partner : List.of(PARTNERS).subList(1, PARTNERS.length)) {
            jdbc.update(
                    "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES (?, ?, ?, ?)",
                    partner[0],
                    partner[1],
                    goodsId,
                    activityId);
        }
    }

    @Test
    void aBatchOfKeysDifferingOnlyInCaseTrailingSpacesOrPartnerReadsEachAsItsOwnReadAlone() throws Exception {
        // Orders: three users differing in case / trailing space (s01/c01), and the first user in two other partners.
        String[][] orders = {
            {"s01", "c01", "Exact-s"},
            {"s01", "c01", "exact-s"},
            {"s01", "c01", "Exact-s "},
            {"s02", "c02", "Exact-s"},
            {"s01", "c02", "Exact-s"}
        };
        for (String[] order : orders) {
            assertThat(lock(order[0], order[1], order[2], "ex-out-s")
                            .path("code")
                            .asText())
                    .isEqualTo("0000");
        }
        List<PartnerOrderKey> variants = new ArrayList<>();
        for (String user : List.of("Exact-s", "exact-s", "Exact-s ", "EXACT-S", "Exact-s  ")) {
            for (String out : List.of("ex-out-s", "EX-OUT-S", "ex-out-s ")) {
                for (String[] partner : new String[][] {
                    {"s01", "c01"}, {"s02", "c02"}, {"s01", "c02"}, {"s01 ", "c01"}, {"S01", "c01"}, {"s02", "c01"}
                }) {
                    variants.add(new PartnerOrderKey(partner[0], partner[1], user, out));
                }
            }
        }
        int found = 0;
        // Each order of the variants (90 keys, at most 64 a batch in the service; here the statement alone, any size):
        // the exact keys first, last and in between.
        for (int shift = 0; shift < variants.size(); shift += 7) {
            List<PartnerOrderKey> keys = new ArrayList<>();
            for (int k = 0; k < variants.size(); k++) {
                keys.add(variants.get((k + shift) % variants.size()));
            }
            List<PartnerOrderLookupRow> rows = dao.queryOrders(keys);
            assertThat(rows).hasSize(keys.size());
            boolean[] seen = new boolean[keys.size()];
            for (PartnerOrderLookupRow row : rows) {
                assertThat(seen[row.index()])
                        .as("one row for place %d", row.index())
                        .isFalse();
                seen[row.index()] = true;
                PartnerOrderKey key = keys.get(row.index());
                PartnerOrderRow alone = dao.queryOrder(key.source(), key.channel(), key.userId(), key.outTradeNo());
                String what = key + " at " + row.index();
                assertThat(row.order()).as(what).isEqualTo(alone);
                if (alone != null) {
                    found++;
                    assertThat(List.of(row.orderSource(), row.orderChannel(), row.userId(), row.outTradeNo()))
                            .as("the stored key of " + what)
                            .isEqualTo(List.of(key.source(), key.channel(), key.userId(), key.outTradeNo()));
                } else {
                    assertThat(row.orderId()).as(what).isNull();
                }
            }
        }
        assertThat(found).as("keys that found their order").isEqualTo(orders.length * ((variants.size() + 6) / 7));
    }

    @Test
    void settlementsRacingWithKeysDifferingOnlyInCaseTrailingSpacesOrPartnerEachPayTheirOwnOrder() throws Exception {
        DistributionSummary batches =
                meters.get("gbm.settlement-lookup.group.commit.batch").summary();
        Counter fallbacks =
                meters.get("gbm.settlement-lookup.group.commit.fallbacks").counter();
        double fallbacksBefore = fallbacks.count();
        long batchesBefore = batches.count();
        double keysBefore = batches.totalAmount();
        List<String> wrong = new ArrayList<>();
        int paid = 0;
        for (int round = 0; round < 5; round++) {
            String u = "Sx-" + round + "-";
            String o = "sx-out-" + round + "-";
            int n = 12;
            // Per i, each in a team of its own: the exact user (s01/c01), the lower-case user, the spaced user, and the
            // exact user of two other partners, all with the same out trade number.
            String[][] who = new String[n * 7][];
            String[] teams = new String[n * 7];
            for (int i = 0; i < n; i++) {
                String[][] variants = {
                    {"s01", "c01", u + i},
                    {"s01", "c01", u.toLowerCase() + i},
                    {"s01", "c01", u + i + " "},
                    {"s02", "c02", u + i},
                    {"s01", "c02", u + i},
                    {"s01", "c01", u + i}, // a repeated notice of the first
                    {"s01", "c01", u.toUpperCase() + i} // no such order
                };
                for (int v = 0; v < variants.length; v++) {
                    who[i * 7 + v] = variants[v];
                    if (v < 5) {
                        JsonNode locked = lock(variants[v][0], variants[v][1], variants[v][2], o + i);
                        assertThat(locked.path("code").asText())
                                .as(locked.toString())
                                .isEqualTo("0000");
                        teams[i * 7 + v] = locked.path("data").path("teamId").asText();
                    } else if (v == 5) {
                        teams[i * 7 + v] = teams[i * 7];
                    }
                }
            }
            String time = TradeClient.now();
            List<JsonNode> answers = Race.run(n * 7, k -> settle(who[k][0], who[k][1], who[k][2], o + (k / 7), time));
            for (int k = 0; k < n * 7; k++) {
                String[] w = who[k];
                String what = "'" + w[2] + "' of " + w[0] + "/" + w[1] + ": " + answers.get(k);
                String code = answers.get(k).path("code").asText();
                if (k % 7 == 6) {
                    if (!code.equals("E0104")) {
                        wrong.add("no such order, answered " + what);
                    }
                } else if (!code.equals("0000")) {
                    wrong.add("refused " + what);
                } else if (!answers.get(k).path("data").path("teamId").asText().equals(teams[k])) {
                    wrong.add("answered another team than " + teams[k] + ": " + what);
                }
            }
            for (int k = 0; k < n * 7; k++) {
                if (k % 7 < 5) {
                    String[] w = who[k];
                    Integer status = jdbc.queryForObject(
                            "SELECT status FROM group_buy_order_list WHERE source = ? AND channel = ? AND user_id = ?"
                                    + " AND out_trade_no = ?",
                            Integer.class,
                            w[0],
                            w[1],
                            w[2],
                            o + (k / 7));
                    if (status == null || status != 1) {
                        wrong.add("not paid: '" + w[2] + "' of " + w[0] + "/" + w[1] + " status " + status);
                    } else {
                        paid++;
                    }
                }
            }
        }
        System.out.printf(
                "SETTLEMENT LOOKUP RACE: paid %d orders, %d wrong; %d keys in %d batches, %.0f fallbacks%n",
                paid,
                wrong.size(),
                (long) (batches.totalAmount() - keysBefore),
                batches.count() - batchesBefore,
                fallbacks.count() - fallbacksBefore);
        assertThat(wrong).as("answers or orders not each caller's own").isEmpty();
        assertThat(paid).isEqualTo(5 * 12 * 5);
        assertThat(fallbacks.count() - fallbacksBefore)
                .as("batches that failed (a row not its caller's, or any error): read alone")
                .isZero();
        assertThat(batches.totalAmount() - keysBefore)
                .as("keys read in batches, against batches read: some batch held more than one key")
                .isGreaterThan(batches.count() - batchesBefore);
    }

    private JsonNode lock(String source, String channel, String userId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\""
                        + goodsId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"notifyUrl\":\"" + RECEIVER + "\"}");
    }

    private JsonNode settle(String source, String channel, String userId, String outTradeNo, String time)
            throws Exception {
        return TestJson.postEnvelope(
                port,
                TradeClient.SETTLEMENT,
                "{\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"userId\":\"" + userId
                        + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"outTradeTime\":\"" + time + "\"}");
    }
}
