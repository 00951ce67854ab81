package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.po.JoinLookupPO;
import com.groupbuy.market.infrastructure.trade.po.LookupKeyPO;
import com.groupbuy.market.infrastructure.trade.po.OrderLookupPO;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.LockGroupCommitOn;
import com.groupbuy.market.support.Race;
import io.micrometer.core.instrument.DistributionSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link GroupLookupExactIdsIT} for joins (#19, branch joinlookup): a join's first read (its team, the partner's order,
 * the user's live takes) read in a batch with other locks' answers exactly as its read alone ({@code queryForJoin})
 * does, for user ids and team ids differing only in case or trailing spaces. The batch's two correlated subqueries per
 * key read the keys' derived table, whose text columns have the connection's collation (case-insensitive, trailing
 * spaces ignored), so MariaDB's subquery cache would answer {@code exact-1} with {@code Exact-1}'s order and live takes
 * unless each subquery also depends on its key's index; the team is a join on the exact column.
 */
@IntegrationTest
@LockGroupCommitOn
@TestPropertySource(properties = "gbm.lock.group-lookup.enabled=true")
class GroupJoinLookupExactIdsIT extends ExactIdsLookup {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(9300);

    @Autowired
    IGroupBuyOrderDao teams;

    GroupJoinLookupExactIdsIT() {
        super(ACTIVITY);
    }

    @Test
    void aBatchOfJoinsWithIdsDifferingOnlyInCaseOrTrailingSpacesReadsEachAsItsOwnReadAlone() throws Exception {
        JsonNode opened = mall.lock("Exact-j", "", "ex-out-j");
        assertThat(opened.path("code").asText()).isEqualTo("0000");
        String team = opened.path("data").path("teamId").asText();
        // Teams whose ids differ only in case, each with its own lock count, copied from the lock's team.
        String[] cased = {"Tc-a1b2", "tc-a1b2", "TC-A1B2"};
        for (int n = 0; n < cased.length; n++) {
            jdbc.update(
                    "INSERT INTO group_buy_order (team_id, activity_id, leader_user_id, source, channel,"
                            + " original_price, deduction_price, pay_price, target_count, complete_count, lock_count,"
                            + " status, valid_start_time, valid_end_time, notify_type, notify_mq, notify_url)"
                            + " SELECT ?, activity_id, leader_user_id, source, channel, original_price,"
                            + " deduction_price, pay_price, target_count, complete_count, ?, status, valid_start_time,"
                            + " valid_end_time, notify_type, notify_mq, notify_url FROM group_buy_order"
                            + " WHERE team_id = ?",
                    cased[n],
                    n + 1,
                    team);
        }
        List<String> users = List.of("Exact-j", "exact-j", "Exact-j ", "EXACT-J  ", "Exact-j", "exact-j");
        // null: an opening's key in the same batch; "tc-A1B2" and the spaced ids: no team has them.
        List<String> teamIds =
                Arrays.asList(team, "Tc-a1b2", "tc-a1b2", null, "TC-A1B2", "Tc-a1b2 ", team + " ", "tc-A1B2");
        int size = users.size() * teamIds.size() / 2; // 24: every user with four of the team ids
        // Each order of the variants: the exact ids first, last, and in between.
        for (int shift = 0; shift < size; shift += 3) {
            List<LookupKeyPO> keys = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                int n = (k + shift) % size;
                keys.add(new LookupKeyPO(
                        "s01",
                        "c01",
                        users.get(n % users.size()),
                        "ex-out-j",
                        activityId,
                        teamIds.get(n % teamIds.size())));
            }
            List<JoinLookupPO> rows = teams.queryJoinLookups(keys, CLOSED);
            assertThat(rows).hasSize(keys.size());
            for (JoinLookupPO row : rows) {
                LookupKeyPO key = keys.get(row.getIndex());
                String what = "'" + key.userId() + "' in '" + key.teamId() + "' at " + row.getIndex() + " in " + keys;
                JoinLookupPO alone = key.teamId() == null
                        ? null
                        : teams.queryForJoin(
                                key.teamId(),
                                key.source(),
                                key.channel(),
                                key.userId(),
                                key.outTradeNo(),
                                activityId,
                                CLOSED);
                if (alone != null) {
                    alone.setIndex(row.getIndex());
                    assertThat(row).as(what).isEqualTo(alone);
                    continue;
                }
                // No team under the id (or none asked): the read alone without a team.
                OrderLookupPO lookup = orders.queryByOutTradeNoWithLiveTakes(
                        key.source(), key.channel(), key.userId(), key.outTradeNo(), activityId, CLOSED);
                assertThat(row.getTeamId()).as(what).isNull();
                assertThat(row.getOrderId()).as(what).isEqualTo(lookup.getOrderId());
                assertThat(row.getLiveTakes()).as(what).isEqualTo(lookup.getLiveTakes());
            }
        }
    }

    @Test
    void joinsRacingWithIdsDifferingOnlyInCaseOrTrailingSpacesAreNewOrdersAndTheRepeatItsOrder() throws Exception {
        DistributionSummary batches = batches();
        List<String> refused = new ArrayList<>();
        double sharedKeys = 0;
        long sharedBatches = 0;
        for (int round = 0; round < 5; round++) {
            String u = "Exact-" + round + "-";
            String o = "jx-out-" + round + "-";
            String[] first = new String[20];
            String[] second = new String[20];
            for (int i = 0; i < 20; i++) {
                first[i] = teamOf(mall.lock("opener-" + round + "-" + i, "", "jx-open-" + round + "-" + i));
                second[i] = teamOf(mall.lock("opener2-" + round + "-" + i, "", "jx-open2-" + round + "-" + i));
                assertThat(teamOf(mall.lock(u + i, first[i], o + i))).isEqualTo(first[i]);
            }
            long batchesBefore = batches.count();
            double keysBefore = batches.totalAmount();
            // Per i: the exact user's repeat, the lower-case user and the spaced user (each a new buyer) joining, and
            // a join naming a team id no team has (the first team's, its first digit an x: ids are at most 8 long).
            List<JsonNode> answers = Race.run(80, n -> {
                int i = n / 4;
                return switch (n % 4) {
                    case 0 -> mall.lock(u + i, first[i], o + i);
                    case 1 -> mall.lock(u.toLowerCase() + i, first[i], o + i);
                    case 2 -> mall.lock(u + i + " ", second[i], o + i);
                    default -> mall.lock("other-" + u + i, "x" + first[i].substring(1), o + i);
                };
            });
            sharedKeys += batches.totalAmount() - keysBefore;
            sharedBatches += batches.count() - batchesBefore;
            for (int n = 0; n < 80; n++) {
                int i = n / 4;
                String user = switch (n % 4) {
                    case 0 -> u + i;
                    case 1 -> u.toLowerCase() + i;
                    case 2 -> u + i + " ";
                    default -> "other-" + u + i;
                };
                JsonNode answer = answers.get(n);
                if (n % 4 == 3) {
                    assertThat(answer.path("code").asText())
                            .as("a join of a team id no team has: %s", answer)
                            .isEqualTo("E0205");
                    assertThat(orderId(user, o + i)).isNull();
                } else if (!answer.path("code").asText().equals("0000")) {
                    refused.add("'" + user + "': " + answer);
                } else {
                    assertThat(answer.path("data").path("orderId").asText())
                            .as("the order of '%s'", user)
                            .isEqualTo(orderId(user, o + i));
                    assertThat(answer.path("data").path("teamId").asText())
                            .as("the team of '%s'", user)
                            .isEqualTo(n % 4 == 2 ? second[i] : first[i]);
                }
            }
        }
        assertThat(refused).as("answers other than 0000").isEmpty();
        assertThat(sharedKeys)
                .as("keys read in batches, against batches read: some batch of joins held more than one key")
                .isGreaterThan(sharedBatches);
    }

    private static String teamOf(JsonNode answer) {
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        return answer.path("data").path("teamId").asText();
    }

    private String orderId(String userId, String outTradeNo) {
        List<String> ids = jdbc.queryForList(
                "SELECT order_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                String.class,
                userId,
                outTradeNo);
        return ids.isEmpty() ? null : ids.get(0);
    }
}
