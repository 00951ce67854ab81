package com.groupbuy.market.infrastructure.trade.dao;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.po.OrderPaymentRow;
import com.groupbuy.market.infrastructure.trade.po.OrderPayments;
import com.groupbuy.market.infrastructure.trade.po.TeamCountRow;
import com.groupbuy.market.infrastructure.trade.po.TeamCounts;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.session.Configuration;
import org.junit.jupiter.api.Test;

/**
 * PaymentSql's texts, parsed by MyBatis as the mapper parses them, with their bindings' values put in place of their
 * placeholders: each value lands where the statement's guards and CASEs need it (#19, paybytes: the texts bind by
 * position, so a text and its binding out of step would pay or count the wrong row).
 */
class PaymentSqlTest {

    private final Configuration configuration = new Configuration();
    private final ParsedOnceLanguageDriver driver = new ParsedOnceLanguageDriver();

    @Test
    void ordersTextTakesEachOrdersIdAndTimeWhereItsCaseAndGuardNeedThem() {
        OrderPayments batch = new OrderPayments(
                java.util.List.of(
                        new OrderPaymentRow("o1", Instant.parse("2026-12-03T08:00:01.234Z")),
                        new OrderPaymentRow("o2", Instant.parse("2026-12-03T08:00:02Z"))),
                0,
                1);

        assertThat(bound(PaymentSql.orders(Map.of(PaymentSql.BATCH, batch)), batch))
                .isEqualTo("UPDATE group_buy_order_list FORCE INDEX (uq_order_id) SET status = 1,"
                        + " out_trade_time = CASE order_id WHEN 'o1' THEN '2026-12-03 08:00:01.234'"
                        + " WHEN 'o2' THEN '2026-12-03 08:00:02.000' END"
                        + " WHERE order_id IN ('o1', 'o2') AND status = 0");
    }

    @Test
    void teamsTextTakesEachTeamsCountsWhereItsCasesAndGuardsNeedThem() {
        TeamCounts batch =
                new TeamCounts(java.util.List.of(new TeamCountRow("t1", 1, 3, 0), new TeamCountRow("t2", 2, 4, 1)), 0);

        assertThat(bound(PaymentSql.teams(Map.of(PaymentSql.BATCH, batch)), batch))
                .isEqualTo("UPDATE group_buy_order FORCE INDEX (uq_team_id)"
                        + " SET complete_count = CASE team_id WHEN 't1' THEN 3 WHEN 't2' THEN 4 END,"
                        + " status = CASE team_id WHEN 't1' THEN 0 WHEN 't2' THEN 1 END"
                        + " WHERE team_id IN ('t1', 't2') AND status = 0"
                        + " AND complete_count = CASE team_id WHEN 't1' THEN 1 WHEN 't2' THEN 2 END"
                        + " AND target_count >= CASE team_id WHEN 't1' THEN 3 WHEN 't2' THEN 4 END");
    }

    @Test
    void lockTextsTakeEveryIdInItsOrder() {
        java.util.List<String> ids = java.util.List.of("a", "b", "c");

        assertThat(bound(LockSql.orders(Map.of(LockSql.IDS, ids)), ids, LockSql.IDS))
                .isEqualTo("SELECT order_id, status FROM group_buy_order_list FORCE INDEX (uq_order_id)"
                        + " WHERE order_id IN ('a', 'b', 'c') FOR UPDATE");
        assertThat(bound(LockSql.teams(Map.of(LockSql.IDS, ids.subList(0, 1))), ids.subList(0, 1), LockSql.IDS))
                .isEqualTo("SELECT team_id, status, complete_count, target_count FROM group_buy_order FORCE INDEX"
                        + " (uq_team_id) WHERE team_id IN ('a') FOR UPDATE");
    }

    @Test
    void everySizeSetsExactlyItsTextsPlaceholdersEachOnce() throws Exception {
        for (int size = 1; size <= 40; size++) {
            java.util.List<OrderPaymentRow> orders = new java.util.ArrayList<>();
            java.util.List<TeamCountRow> teams = new java.util.ArrayList<>();
            for (int i = 0; i < size; i++) {
                orders.add(new OrderPaymentRow("o" + i, Instant.EPOCH));
                teams.add(new TeamCountRow("t" + i, i, i + 1, 0));
            }
            OrderPayments paid = new OrderPayments(orders, 0, 1);
            TeamCounts counted = new TeamCounts(teams, 0);
            assertThat(bound(PaymentSql.orders(Map.of(PaymentSql.BATCH, paid)), paid))
                    .doesNotContain("?");
            assertThat(bound(PaymentSql.teams(Map.of(PaymentSql.BATCH, counted)), counted))
                    .doesNotContain("?");
        }
    }

    /**
     * The text as MyBatis parses it, its one parameter set by its own binding on a statement that records each value
     * by position, and those values written in place of the placeholders (strings quoted); fails when a position is
     * set twice, or set beyond the text's placeholders, or one is left unset.
     */
    @SuppressWarnings("unchecked")
    private String bound(String text, Object batch) {
        return bound(text, batch, PaymentSql.BATCH);
    }

    @SuppressWarnings("unchecked")
    private String bound(String text, Object batch, String parameter) {
        BoundSql bound = driver.createSqlSource(configuration, text, Map.class).getBoundSql(Map.of());
        assertThat(bound.getParameterMappings()).hasSize(1);
        ParameterMapping only = bound.getParameterMappings().get(0);
        assertThat(only.getProperty()).isEqualTo(parameter);
        Map<Integer, String> values = new TreeMap<>();
        PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    String value = switch (method.getName()) {
                        case "setString" -> "'" + args[1] + "'";
                        case "setInt" -> String.valueOf(args[1]);
                        default -> throw new AssertionError("unexpected " + method.getName());
                    };
                    assertThat(values.put((Integer) args[0], value))
                            .as("position %s set once", args[0])
                            .isNull();
                    return null;
                });
        try {
            ((org.apache.ibatis.type.TypeHandler<Object>) only.getTypeHandler()).setParameter(ps, 1, batch, null);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        String sql = bound.getSql();
        long placeholders = sql.chars().filter(c -> c == '?').count();
        assertThat(values.keySet()).hasSize((int) placeholders);
        assertThat(values.keySet()).allMatch(at -> at >= 1 && at <= placeholders);
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (char c : sql.toCharArray()) {
            out.append(c == '?' ? values.get(++at) : String.valueOf(c));
        }
        return out.toString();
    }
}
