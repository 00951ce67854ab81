package com.groupbuy.market.console;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Outbox rows for the console's tests, written in multi-row statements (10,000 tasks in a few seconds). */
final class ConsoleData {

    private final JdbcTemplate jdbc;

    ConsoleData(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code count} FAIL tasks of partner {@code source}/c01 whose teams start at {@code firstTeam}. */
    void failedTasks(int count, int firstTeam, String source) {
        Timestamp next = Timestamp.from(Instant.now().plusSeconds(3600));
        for (int start = 0; start < count; start += 1000) {
            int rows = Math.min(1000, count - start);
            StringBuilder sql =
                    new StringBuilder("INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, "
                            + "source, channel, notify_category, notify_type, notify_url, notify_count, notify_status, "
                            + "parameter_json, next_attempt_time, last_error) VALUES ");
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                String teamId = String.format("%08d", firstTeam + start + i);
                sql.append(i == 0 ? "" : ",")
                        .append("(?, ?, 1, ?, ?, 'c01', 'trade_settlement', 'HTTP', "
                                + "'http://127.0.0.1:1/cb', 15, 3, '{}', ?, 'HTTP 500')");
                args.add(teamId + ":trade_settlement");
                args.add("msg_bulk_" + teamId);
                args.add(teamId);
                args.add(source);
                args.add(next);
            }
            jdbc.update(sql.toString(), args.toArray());
        }
    }

    long failed(String source) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE notify_status = 3 AND source = ?", Long.class, source);
    }

    long retrying(String source) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE notify_status = 2 AND source = ?", Long.class, source);
    }
}
