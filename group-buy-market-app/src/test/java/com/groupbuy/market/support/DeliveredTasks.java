package com.groupbuy.market.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Callbacks already delivered, as the retention job finds them: a SUCCESS task and its one successful attempt. */
public final class DeliveredTasks {

    private DeliveredTasks() {}

    /** A delivered task whose delivering attempt was at {@code at}, with that attempt. */
    public static long insert(JdbcTemplate jdbc, Instant at) {
        String key = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                        + "notify_category, notify_type, notify_url, notify_count, notify_status, parameter_json, "
                        + "next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'HTTP', "
                        + "'http://127.0.0.1:1/cb', 1, 1, '{}', ?)",
                key,
                "msg_" + key,
                key.substring(0, 8),
                Timestamp.from(at));
        long id = jdbc.queryForObject("SELECT id FROM notify_task WHERE task_key = ?", Long.class, key);
        jdbc.update(
                "INSERT INTO notify_attempt (task_id, attempt_no, attempt_time, http_status, latency_ms, success, error)"
                        + " VALUES (?, 1, ?, 200, 1, 1, NULL)",
                id,
                Timestamp.from(at));
        return id;
    }
}
