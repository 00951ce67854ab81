package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.mybatis.UtcInstantTypeHandler;
import com.groupbuy.market.infrastructure.trade.po.OrderPaymentRow;
import com.groupbuy.market.infrastructure.trade.po.OrderPayments;
import com.groupbuy.market.infrastructure.trade.po.TeamCountRow;
import com.groupbuy.market.infrastructure.trade.po.TeamCounts;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ibatis.type.JdbcType;
import org.apache.ibatis.type.TypeHandler;

/**
 * The statements of a settlement batch's payments (#19, {@link IGroupBuySettlementDao#payOrders}, {@link
 * IGroupBuySettlementDao#countPayments}): every order of the batch paid in one single-table UPDATE, every team's count
 * in another, each row guarded by the state the batch counted on (the order still locked; the team still in its
 * state at the paid count it was locked at, and the new count within its places), each row's own values picked by
 * {@code CASE} on its unique key (exact collation: nopad_bin). One text per row count, built once and parsed once
 * ({@link ParsedOnceLanguageDriver}), as {@link LookupSql}'s. A single-table UPDATE by unique key needs no temporary
 * table; the payment alone's multi-table UPDATE made one per payment.
 *
 * <p>Bound by position (#19, paybytes): a text's first placeholder is its one MyBatis parameter, {@code #{batch}}
 * with a binding of its own ({@link OrdersBinding}, {@link TeamsBinding}), every other one a plain {@code ?} that
 * binding sets in the text's order. With a {@code #{orders[i].field}} per value, MyBatis resolved each by property
 * path (a MetaObject, a tokenizer, the list's element) on the settlement writer's thread: 3 values an order, 9 a team
 * (docs/benchmarks.md, settlepay's and paybytes' sections). Each text below and its binding list the values in the
 * same order; PaymentSqlTest holds the two to the same count.
 */
public final class PaymentSql {

    /** The statements' one parameter's name. */
    public static final String BATCH = "batch";

    private static final Map<Integer, String> ORDERS_BY_SIZE = new ConcurrentHashMap<>();
    private static final Map<Integer, String> TEAMS_BY_SIZE = new ConcurrentHashMap<>();

    private PaymentSql() {}

    public static String orders(Map<String, Object> params) {
        return ORDERS_BY_SIZE.computeIfAbsent(
                ((OrderPayments) params.get(BATCH)).rows().size(), PaymentSql::buildOrders);
    }

    public static String teams(Map<String, Object> params) {
        return TEAMS_BY_SIZE.computeIfAbsent(
                ((TeamCounts) params.get(BATCH)).rows().size(), PaymentSql::buildTeams);
    }

    /** Values, in order: to; each order's id and trade time; each order's id; from ({@link OrdersBinding}). */
    static String buildOrders(int size) {
        StringBuilder sql = new StringBuilder(300 + size * 20);
        sql.append("UPDATE group_buy_order_list FORCE INDEX (uq_order_id) SET status = ")
                .append(first(OrdersBinding.class))
                .append(", out_trade_time = CASE order_id");
        for (int i = 0; i < size; i++) {
            sql.append(" WHEN ? THEN ?");
        }
        sql.append(" END WHERE order_id IN (");
        list(sql, size);
        return sql.append(") AND status = ?").toString();
    }

    /**
     * Values, in order ({@link TeamsBinding}): each team's id and count after; each team's id and status after; each
     * team's id; teamFrom; each team's id and count before; each team's id and count after.
     */
    static String buildTeams(int size) {
        StringBuilder sql = new StringBuilder(400 + size * 60);
        sql.append("UPDATE group_buy_order FORCE INDEX (uq_team_id) SET complete_count = CASE team_id WHEN ")
                .append(first(TeamsBinding.class))
                .append(" THEN ?");
        for (int i = 1; i < size; i++) {
            sql.append(" WHEN ? THEN ?");
        }
        sql.append(" END, status = ");
        cases(sql, size);
        sql.append(" WHERE team_id IN (");
        list(sql, size);
        sql.append(") AND status = ? AND complete_count = ");
        cases(sql, size);
        sql.append(" AND target_count >= ");
        cases(sql, size);
        return sql.toString();
    }

    private static String first(Class<?> binding) {
        return "#{" + BATCH + ",typeHandler=" + binding.getName() + "}";
    }

    /** {@code CASE team_id WHEN ? THEN ? ... END} */
    private static void cases(StringBuilder sql, int size) {
        sql.append("CASE team_id");
        for (int i = 0; i < size; i++) {
            sql.append(" WHEN ? THEN ?");
        }
        sql.append(" END");
    }

    private static void list(StringBuilder sql, int size) {
        for (int i = 0; i < size; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
    }

    /** Sets {@link #buildOrders}'s values from its first placeholder on. */
    public static final class OrdersBinding extends Binding<OrderPayments> {

        @Override
        void bind(PreparedStatement ps, int at, OrderPayments batch) throws SQLException {
            List<OrderPaymentRow> rows = batch.rows();
            ps.setInt(at++, batch.to());
            for (OrderPaymentRow row : rows) {
                ps.setString(at++, row.orderId());
                time(ps, at++, row.outTradeTime());
            }
            for (OrderPaymentRow row : rows) {
                ps.setString(at++, row.orderId());
            }
            ps.setInt(at, batch.from());
        }

        /** As {@link UtcInstantTypeHandler}, which bound them before. */
        private static void time(PreparedStatement ps, int at, Instant value) throws SQLException {
            if (value == null) {
                ps.setNull(at, Types.VARCHAR);
            } else {
                ps.setString(at, UtcInstantTypeHandler.toDatabaseText(value));
            }
        }
    }

    /** Sets {@link #buildTeams}'s values from its first placeholder on. */
    public static final class TeamsBinding extends Binding<TeamCounts> {

        @Override
        void bind(PreparedStatement ps, int at, TeamCounts batch) throws SQLException {
            List<TeamCountRow> rows = batch.rows();
            for (TeamCountRow row : rows) {
                ps.setString(at++, row.teamId());
                ps.setInt(at++, row.countAfter());
            }
            for (TeamCountRow row : rows) {
                ps.setString(at++, row.teamId());
                ps.setInt(at++, row.statusAfter());
            }
            for (TeamCountRow row : rows) {
                ps.setString(at++, row.teamId());
            }
            ps.setInt(at++, batch.teamFrom());
            for (TeamCountRow row : rows) {
                ps.setString(at++, row.teamId());
                ps.setInt(at++, row.countBefore());
            }
            for (TeamCountRow row : rows) {
                ps.setString(at++, row.teamId());
                ps.setInt(at++, row.countAfter());
            }
        }
    }

    /**
     * A statement's values set from its first placeholder on, for a parameter only ever bound (MyBatis instantiates it
     * by name from the text; it is not registered for any type, so no other statement uses it).
     */
    abstract static class Binding<T> implements TypeHandler<T> {

        abstract void bind(PreparedStatement ps, int at, T batch) throws SQLException;

        @Override
        public void setParameter(PreparedStatement ps, int i, T parameter, JdbcType jdbcType) throws SQLException {
            bind(ps, i, parameter);
        }

        @Override
        public T getResult(ResultSet rs, String columnName) {
            throw new UnsupportedOperationException("a statement's parameter only");
        }

        @Override
        public T getResult(ResultSet rs, int columnIndex) {
            throw new UnsupportedOperationException("a statement's parameter only");
        }

        @Override
        public T getResult(CallableStatement cs, int columnIndex) {
            throw new UnsupportedOperationException("a statement's parameter only");
        }
    }
}
