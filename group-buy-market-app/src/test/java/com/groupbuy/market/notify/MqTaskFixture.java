package com.groupbuy.market.notify;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes due MQ callback tasks (the settlement message to {@code topic.team_success}, partner s01/c01) straight into the
 * outbox, as settlement would; {@link NotifyTaskFixture} writes HTTP ones.
 */
public final class MqTaskFixture {

    private final JdbcTemplate jdbc;
    private final String webhookPrefix;

    /** {@code webhookPrefix}: the start of the tasks' message ids, the test's own. */
    public MqTaskFixture(JdbcTemplate jdbc, String webhookPrefix) {
        this.jdbc = jdbc;
        this.webhookPrefix = webhookPrefix;
    }

    /** {@code n} due INIT tasks, each of a team of its own whose id is drawn from {@code batch}; returns the team ids. */
    public List<String> due(String batch, int n) {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String teamId = String.format("%08x", (batch + i).hashCode());
            jdbc.update(
                    "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                            + "notify_category, notify_type, notify_mq, notify_count, notify_status, parameter_json, "
                            + "next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'MQ', "
                            + "'topic.team_success', 0, 0, ?, ?)",
                    teamId + ":trade_settlement",
                    webhookPrefix + batch + i,
                    teamId,
                    "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o" + i + "\"]}",
                    Timestamp.from(Instant.now().minusSeconds(1)));
            teams.add(teamId);
        }
        return teams;
    }
}
