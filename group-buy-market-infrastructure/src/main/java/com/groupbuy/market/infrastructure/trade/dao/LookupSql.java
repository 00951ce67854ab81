package com.groupbuy.market.infrastructure.trade.dao;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements of {@link IGroupBuyOrderListDao#queryLookups} and {@link IGroupBuyOrderDao#queryJoinLookups}: the keys
 * as a UNION ALL derived table and, per key, the single read's two correlated subqueries (EXPLAIN: eq_ref on
 * uq_partner_user_out_trade_no, ref on idx_activity_user); for joins also the team the key names, left-joined by
 * uq_team_id (eq_ref; no team for an opening's null id or an id no team has). One text per batch size, built once: a
 * {@code <foreach>} rewrote every parameter of every key with a regular expression compiled on each call (MyBatis's
 * item renaming), and that alone allocated more per lock than the reads it saved (#19, branch lockcpu). MariaDB's CPU
 * per lookup: ~100-130 us as a statement of its own, ~30 us as one of 20 (docs/bench/lookup_batch_cost.sh). Also the
 * settlement's order read for several keys ({@link #orders}, {@link IGroupBuySettlementDao#queryOrders}): the same
 * derived table of keys, the partner's order and its team left-joined by their unique keys.
 */
public final class LookupSql {

    private static final Map<Integer, String> BY_SIZE = new ConcurrentHashMap<>();
    private static final Map<Integer, String> JOINS_BY_SIZE = new ConcurrentHashMap<>();
    private static final Map<Integer, String> ORDERS_BY_SIZE = new ConcurrentHashMap<>();

    private LookupSql() {}

    public static String lookups(Map<String, Object> params) {
        return BY_SIZE.computeIfAbsent(((List<?>) params.get("keys")).size(), size -> build(size, false));
    }

    /** As {@link #lookups}, with each key's team (by its team id, null for an opening) beside its two values. */
    public static String joins(Map<String, Object> params) {
        return JOINS_BY_SIZE.computeIfAbsent(((List<?>) params.get("keys")).size(), size -> build(size, true));
    }

    /**
     * Settlement's order read ({@code queryOrder}) for several partner keys (#19, branch settleread): per key its index,
     * the order's own key columns as stored (the caller compares them with its key exactly, whatever the database
     * compared), and the read alone's columns; every column null when the partner has no such order, or its team is
     * gone (the read alone's inner join finds nothing then either). Joins, no subquery: nothing is cached per outer
     * value (the trap LookupSql's lookups avoid with {@code k.i >= 0}); each join is an eq_ref on a unique key
     * (uq_partner_user_out_trade_no, uq_team_id), compared in the columns' exact collation.
     */
    public static String orders(Map<String, Object> params) {
        return ORDERS_BY_SIZE.computeIfAbsent(((List<?>) params.get("keys")).size(), LookupSql::buildOrders);
    }

    private static String buildOrders(int size) {
        StringBuilder sql = new StringBuilder(700 + size * 300);
        sql.append("SELECT k.i, l.user_id, l.out_trade_no, l.source AS order_source, l.channel AS order_channel,")
                .append(" l.order_id, l.activity_id, l.status AS order_status, l.out_trade_time,")
                .append(" o.team_id, o.status AS team_status, o.valid_start_time AS team_valid_start_time,")
                .append(" o.valid_end_time AS team_valid_end_time, o.source, o.channel, o.notify_type, o.notify_url,")
                .append(" o.complete_count AS team_complete_count, o.target_count AS team_target_count FROM (");
        appendKeys(sql, size, false, false);
        sql.append(") k LEFT JOIN group_buy_order_list l ON l.user_id = k.u AND l.out_trade_no = k.o")
                .append(" AND l.source = k.s AND l.channel = k.c")
                .append(" LEFT JOIN group_buy_order o ON o.team_id = l.team_id");
        return sql.toString();
    }

    private static String build(int size, boolean teams) {
        StringBuilder sql = new StringBuilder(600 + size * 380);
        // "k.i >= 0" (always true) makes each subquery depend on its key's index too: MariaDB's subquery cache keys
        // a correlated subquery's results by the outer values it uses, compared in THEIR collation - here the
        // connection's (utf8mb4_general_ci: case-insensitive, trailing spaces ignored), not the columns' exact one -
        // so without it a key got the answer of an earlier key of the batch equal to it there ("exact-1" the order
        // and live take of "Exact-1": E0103). With the index, no two keys of a batch share a cached answer.
        // The team is a join, not a subquery (no cache): its eq_ref lookup compares in the column's exact collation.
        sql.append("SELECT k.i, (SELECT o.order_id FROM group_buy_order_list o WHERE o.user_id = k.u")
                .append(" AND o.out_trade_no = k.o AND o.source = k.s AND o.channel = k.c AND k.i >= 0) AS order_id,")
                .append(" (SELECT COUNT(*) FROM group_buy_order_list t WHERE t.activity_id = k.a AND t.user_id = k.u")
                .append(" AND t.source = k.s AND t.channel = k.c AND t.status <> #{closed,javaType=int}")
                .append(" AND k.i >= 0) AS live_takes");
        if (teams) {
            sql.append(", g.team_id, g.activity_id, g.leader_user_id, g.source, g.channel, g.original_price,")
                    .append(" g.deduction_price, g.pay_price, g.target_count, g.complete_count, g.lock_count,")
                    .append(" g.status, g.valid_start_time, g.valid_end_time, g.notify_type, g.notify_url");
        }
        sql.append(" FROM (");
        appendKeys(sql, size, true, teams);
        sql.append(") k");
        if (teams) {
            sql.append(" LEFT JOIN group_buy_order g ON g.team_id = k.t");
        }
        return sql.toString();
    }

    /**
     * The keys' derived table {@code k}: per key its index {@code i}, source {@code s}, channel {@code c}, user
     * {@code u}, out trade number {@code o}, and when asked its activity {@code a} and team id {@code t}.
     */
    private static void appendKeys(StringBuilder sql, int size, boolean activity, boolean team) {
        for (int i = 0; i < size; i++) {
            String key = "keys[" + i + "].";
            sql.append(i == 0 ? "" : " UNION ALL ")
                    .append("SELECT ")
                    .append(i)
                    .append(" AS i, #{")
                    .append(key)
                    .append("source,javaType=java.lang.String} AS s, #{")
                    .append(key)
                    .append("channel,javaType=java.lang.String} AS c, #{")
                    .append(key)
                    .append("userId,javaType=java.lang.String} AS u, #{")
                    .append(key)
                    .append("outTradeNo,javaType=java.lang.String} AS o");
            if (activity) {
                sql.append(", #{").append(key).append("activityId,javaType=java.lang.Long} AS a");
            }
            if (team) {
                sql.append(", #{").append(key).append("teamId,javaType=java.lang.String,jdbcType=VARCHAR} AS t");
            }
        }
    }
}
