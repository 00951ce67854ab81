package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes an instance older than V13 wrote after V13 ran (a rolling V13 deploy): rewritten into the format the lock
 * writes, as V13 rewrote those held before it. Such a take ({@code activity_user_sequence}, no U+001F) never meets a
 * new-format take in {@code uq_biz_id}, so while it is held its user's next take may reuse its sequence and pass the
 * take limit. Rolls: instances of the release before run on (they write the new format; a take they write meanwhile
 * is never touched), and an instance older than V13 still running writes old takes after this ran, which the check
 * query in operations.md "Upgrading" still finds.
 * <p>
 * In small steps, no long lock: the table is read in primary-key pages by plain reads (no row locks), and each old take
 * found is rewritten alone, in its own statement, only if it still holds the id read (a refund or close in between
 * ends the take and is left alone). Re-runnable: a second run finds nothing. A take whose new id another live take
 * holds already (the same user's take of the same sequence, written meanwhile by a new instance: the take limit was
 * passed already) is left as it is ({@code UPDATE IGNORE}) and logged with the check query: which of the two orders
 * to keep is an operator's decision.
 */
public class V18__old_format_takes_rewritten extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V18__old_format_takes_rewritten.class);
    private static final int PAGE = 1_000;

    /** Each rewrite commits on its own: one transaction would hold every rewritten row until the end. */
    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Result result = rewrite(context.getConnection());
        if (result.leftOld() > 0) {
            log.warn(
                    "V18: {} old-format take(s) not rewritten: their user holds the same take in the new format too "
                            + "(the take limit was passed during a rolling V13 deploy); see operations.md \"Upgrading\"",
                    result.leftOld());
        }
        log.info("V18: {} old-format take(s) rewritten", result.rewritten());
    }

    /** What a run did: takes rewritten, and old takes left as they were because their new id is held. */
    public record Result(int rewritten, int leftOld) {}

    /** The rewrite itself, on a connection in autocommit. */
    public static Result rewrite(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        int rewritten = 0;
        int leftOld = 0;
        try (PreparedStatement page = connection.prepareStatement(
                        "SELECT id, biz_id FROM group_buy_order_list WHERE id > ? AND biz_id IS NOT NULL "
                                + "AND biz_id NOT LIKE CONCAT('%', CHAR(31), '%') ORDER BY id LIMIT ?");
                PreparedStatement one = connection.prepareStatement("UPDATE IGNORE group_buy_order_list SET biz_id = "
                        + "CONCAT_WS(_utf8mb4 X'1F', activity_id, source, channel, user_id, "
                        + "SUBSTRING_INDEX(biz_id, '_', -1)) WHERE id = ? AND biz_id = ?")) {
            long after = 0;
            while (true) {
                List<Object[]> old = new ArrayList<>();
                page.setLong(1, after);
                page.setInt(2, PAGE);
                try (ResultSet rows = page.executeQuery()) {
                    while (rows.next()) {
                        old.add(new Object[] {rows.getLong(1), rows.getString(2)});
                    }
                }
                for (Object[] take : old) {
                    one.setLong(1, (Long) take[0]);
                    one.setString(2, (String) take[1]);
                    // Connector/J counts the rows found, not changed: a take IGNORE left is found too.
                    int found = one.executeUpdate();
                    if (stillOld(connection, (Long) take[0], (String) take[1])) {
                        leftOld++;
                    } else if (found == 1) {
                        rewritten++;
                    }
                    after = (Long) take[0];
                }
                if (old.size() < PAGE) {
                    return new Result(rewritten, leftOld);
                }
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static boolean stillOld(Connection connection, long id, String bizId) throws SQLException {
        try (PreparedStatement s =
                connection.prepareStatement("SELECT 1 FROM group_buy_order_list WHERE id = ? AND biz_id = ?")) {
            s.setLong(1, id);
            s.setString(2, bizId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
