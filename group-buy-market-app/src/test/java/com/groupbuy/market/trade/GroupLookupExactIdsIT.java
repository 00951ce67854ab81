package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.po.LookupKeyPO;
import com.groupbuy.market.infrastructure.trade.po.OrderLookupPO;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.LockGroupCommitOn;
import com.groupbuy.market.support.Race;
import io.micrometer.core.instrument.DistributionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Identifiers compare exactly in lock openings' lookups read together (#19, {@code gbm.lock.group-lookup.enabled}):
 * ids differing only in case or trailing spaces read in one batch each get their own order and live takes. The
 * batch's two subqueries per key are correlated with the key's row of a derived table of the keys, whose text
 * columns have the connection's collation (utf8mb4_general_ci: case-insensitive, trailing spaces ignored); MariaDB's
 * subquery cache keyed its results by those columns, so a key got the answer of an earlier key of the batch "equal"
 * to it in that collation — {@code exact-1} the order and live take of {@code Exact-1}, answered {@code E0103}.
 */
@IntegrationTest
@LockGroupCommitOn
@TestPropertySource(properties = "gbm.lock.group-lookup.enabled=true")
class GroupLookupExactIdsIT extends ExactIdsLookup {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(9100);

    GroupLookupExactIdsIT() {
        super(ACTIVITY);
    }

    @Test
    void aBatchOfIdsDifferingOnlyInCaseOrTrailingSpacesReadsEachAsItsOwnReadAlone() throws Exception {
        assertThat(mall.lock("Exact-b", "", "ex-out-b").path("code").asText()).isEqualTo("0000");
        List<String> users = List.of("Exact-b", "exact-b", "Exact-b ", "EXACT-B  ", "Exact-b", "exact-b");
        // Each order of the variants: the exact id first, last, and in between.
        for (int shift = 0; shift < users.size(); shift++) {
            List<LookupKeyPO> keys = new ArrayList<>();
            for (int k = 0; k < users.size(); k++) {
                String user = users.get((k + shift) % users.size());
                keys.add(new LookupKeyPO("s01", "c01", user, "ex-out-b", activityId));
            }
            List<OrderLookupPO> rows = orders.queryLookups(keys, CLOSED);
            assertThat(rows).hasSize(keys.size());
            for (OrderLookupPO row : rows) {
                LookupKeyPO key = keys.get(row.getIndex());
                OrderLookupPO alone = orders.queryByOutTradeNoWithLiveTakes(
                        key.source(), key.channel(), key.userId(), key.outTradeNo(), activityId, CLOSED);
                assertThat(row.getOrderId())
                        .as("order of '%s' at %d in %s", key.userId(), row.getIndex(), keys)
                        .isEqualTo(alone.getOrderId());
                assertThat(row.getLiveTakes())
                        .as("live takes of '%s' at %d in %s", key.userId(), row.getIndex(), keys)
                        .isEqualTo(alone.getLiveTakes());
            }
        }
    }

    @Test
    void openingsRacingWithIdsDifferingOnlyInCaseOrTrailingSpacesAreNewOrdersAndTheRepeatItsOrder() throws Exception {
        DistributionSummary batches = batches();
        long batchesBefore = batches.count();
        double keysBefore = batches.totalAmount();
        List<String> refused = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            String u = "Exact-" + round + "-";
            String o = "ex-out-" + round + "-";
            for (int i = 0; i < 20; i++) {
                assertThat(mall.lock(u + i, "", o + i).path("code").asText()).isEqualTo("0000");
            }
            String[] variants = {u.toLowerCase(), u, u};
            String[] suffixes = {"", " ", ""};
            List<JsonNode> answers = Race.run(60, n -> {
                int i = n / 3;
                return mall.lock(variants[n % 3] + i + suffixes[n % 3], "", o + i);
            });
            for (int n = 0; n < 60; n++) {
                String user = variants[n % 3] + (n / 3) + suffixes[n % 3];
                JsonNode answer = answers.get(n);
                if (!answer.path("code").asText().equals("0000")) {
                    refused.add("'" + user + "': " + answer);
                } else if (n % 3 == 2) {
                    assertThat(answer.path("data").path("orderId").asText())
                            .as("the repeat of '%s' answered its first order", user)
                            .isEqualTo(orderId(user, o + (n / 3)));
                }
            }
        }
        assertThat(refused).as("answers other than 0000").isEmpty();
        assertThat(batches.totalAmount() - keysBefore)
                .as("keys read in batches, against batches read: some batch held more than one key")
                .isGreaterThan(batches.count() - batchesBefore);
    }

    private String orderId(String userId, String outTradeNo) {
        return jdbc.queryForObject(
                "SELECT order_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                String.class,
                userId,
                outTradeNo);
    }
}
