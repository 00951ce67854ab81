package com.groupbuy.market.infrastructure.trade.dao;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A settlement batch's row locks (#19, {@link IGroupBuySettlementDao#lockOrders}, {@link
 * IGroupBuySettlementDao#lockTeams}), one text per id count, bound by position as {@link PaymentSql}'s (#19,
 * paybytes): the first id is the statement's one MyBatis parameter with {@link IdsBinding}, the others plain
 * {@code ?}. As a {@code <foreach>}, MyBatis built the text's parameters anew on every call (a binding and a
 * parameter mapping per id) on the settlement writer's thread.
 *
 * <p>The orders are locked first, through uq_order_id as each payment statement reads them (entry, then row), in order
 * id order (the IN list's ranges are read sorted). A settlement, refund or close alone holds its order and then waits
 * for its team; with every order of the batch taken before any team, such a transaction never holds what the batch
 * waits for while it waits for a team the batch holds (a batch that paid one member of a team and then wanted another
 * member's row deadlocked with that member's refund, whose InnoDB weight made it the victim). A batch that pays
 * together locks its teams' rows after all its orders, through uq_team_id as the payment statement reads them, in team
 * id order; their state as locked is what the domain counts the batch's payments on (TeamPayment.count), and what
 * payOrders / countPayments are guarded by.
 */
public final class LockSql {

    /** The statements' one parameter's name. */
    public static final String IDS = "ids";

    private static final Map<Integer, String> ORDERS_BY_SIZE = new ConcurrentHashMap<>();
    private static final Map<Integer, String> TEAMS_BY_SIZE = new ConcurrentHashMap<>();

    private LockSql() {}

    public static String orders(Map<String, Object> params) {
        return ORDERS_BY_SIZE.computeIfAbsent(
                size(params),
                n -> build(
                        "SELECT order_id, status FROM group_buy_order_list FORCE INDEX (uq_order_id) WHERE order_id",
                        n));
    }

    public static String teams(Map<String, Object> params) {
        return TEAMS_BY_SIZE.computeIfAbsent(
                size(params),
                n -> build(
                        "SELECT team_id, status, complete_count, target_count FROM group_buy_order FORCE INDEX"
                                + " (uq_team_id) WHERE team_id",
                        n));
    }

    private static int size(Map<String, Object> params) {
        return ((List<?>) params.get(IDS)).size();
    }

    private static String build(String head, int size) {
        StringBuilder sql = new StringBuilder(head.length() + 40 + size * 3);
        sql.append(head)
                .append(" IN (#{")
                .append(IDS)
                .append(",typeHandler=")
                .append(IdsBinding.class.getName())
                .append('}');
        for (int i = 1; i < size; i++) {
            sql.append(", ?");
        }
        return sql.append(") FOR UPDATE").toString();
    }

    /** Sets every id of the list, in its order, from the text's first placeholder on. */
    public static final class IdsBinding extends PaymentSql.Binding<List<String>> {

        @Override
        void bind(PreparedStatement ps, int at, List<String> ids) throws SQLException {
            for (String id : ids) {
                ps.setString(at++, id);
            }
        }
    }
}
