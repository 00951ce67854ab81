package com.groupbuy.market.infrastructure.trade.dao;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements of a settlement batch's payments (#19, {@link IGroupBuySettlementDao#payOrders}, {@link
 * IGroupBuySettlementDao#countPayments}): every order of the batch paid in one single-table UPDATE, every team's count
 * in another, each row guarded by the state the batch counted on (the order still locked; the team still in its
 * state at the paid count it was locked at, and the new count within its places), each row's own values picked by
 * {@code CASE} on its unique key (exact collation: nopad_bin). One text per row count, built once and parsed once
 * ({@link ParsedOnceLanguageDriver}), as {@link LookupSql}'s. A single-table UPDATE by unique key needs no temporary
 * table; the payment alone's multi-table UPDATE made one per payment.
 */
public final class PaymentSql {

    private static final Map<Integer, String> ORDERS_BY_SIZE = new ConcurrentHashMap<>();
    private static final Map<Integer, String> TEAMS_BY_SIZE = new ConcurrentHashMap<>();
    private static final String TIME =
            "outTradeTime,typeHandler=com.groupbuy.market.infrastructure.mybatis.UtcInstantTypeHandler}";

    private PaymentSql() {}

    public static String orders(Map<String, Object> params) {
        return ORDERS_BY_SIZE.computeIfAbsent(((List<?>) params.get("orders")).size(), PaymentSql::buildOrders);
    }

    public static String teams(Map<String, Object> params) {
        return TEAMS_BY_SIZE.computeIfAbsent(((List<?>) params.get("teams")).size(), PaymentSql::buildTeams);
    }

    private static String buildOrders(int size) {
        StringBuilder sql = new StringBuilder(300 + size * 220);
        sql.append("UPDATE group_buy_order_list FORCE INDEX (uq_order_id) SET status = #{to,javaType=int},")
                .append(" out_trade_time = CASE order_id");
        for (int i = 0; i < size; i++) {
            sql.append(" WHEN ")
                    .append(param("orders", i, "orderId"))
                    .append(" THEN #{orders[")
                    .append(i)
                    .append("].")
                    .append(TIME);
        }
        sql.append(" END WHERE order_id IN (");
        for (int i = 0; i < size; i++) {
            sql.append(i == 0 ? "" : ", ").append(param("orders", i, "orderId"));
        }
        return sql.append(") AND status = #{from,javaType=int}").toString();
    }

    private static String buildTeams(int size) {
        StringBuilder sql = new StringBuilder(400 + size * 400);
        sql.append("UPDATE group_buy_order FORCE INDEX (uq_team_id) SET complete_count = ");
        cases(sql, size, "countAfter");
        sql.append(", status = ");
        cases(sql, size, "statusAfter");
        sql.append(" WHERE team_id IN (");
        for (int i = 0; i < size; i++) {
            sql.append(i == 0 ? "" : ", ").append(param("teams", i, "teamId"));
        }
        sql.append(") AND status = #{teamFrom,javaType=int} AND complete_count = ");
        cases(sql, size, "countBefore");
        sql.append(" AND target_count >= ");
        cases(sql, size, "countAfter");
        return sql.toString();
    }

    /** {@code CASE team_id WHEN <team i> THEN <its field> ... END} */
    private static void cases(StringBuilder sql, int size, String field) {
        sql.append("CASE team_id");
        for (int i = 0; i < size; i++) {
            sql.append(" WHEN ")
                    .append(param("teams", i, "teamId"))
                    .append(" THEN ")
                    .append(param("teams", i, field));
        }
        sql.append(" END");
    }

    private static String param(String list, int i, String field) {
        String type = field.endsWith("Id") ? "java.lang.String" : "int";
        return "#{" + list + "[" + i + "]." + field + ",javaType=" + type + "}";
    }
}
