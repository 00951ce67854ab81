package com.groupbuy.market.notify;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.JdbcTemplate;

/** Writes due callback tasks straight into the outbox, as settlement would. */
public final class NotifyTaskFixture {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private final JdbcTemplate jdbc;

    public NotifyTaskFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A due INIT task for a new team of partner s01/c01; returns the team id. */
    public String dueTask(String url) {
        return dueTask(url, "s01", "c01");
    }

    /** A due INIT task for a new team of the partner {@code source}/{@code channel}; returns the team id. */
    public String dueTask(String url, String source, String channel) {
        return due(source, channel, "HTTP", url, null);
    }

    /** A due INIT HTTP task of partner s01/c01 whose body is {@code body(teamId)}; returns the team id. */
    public String dueTaskWithBody(String url, UnaryOperator<String> body) {
        return due("s01", "c01", "HTTP", url, null, body);
    }

    /**
     * A due INIT MQ settlement task (routing key {@code topic.team_success}) for a new team of the partner
     * {@code source}/{@code channel}; returns the team id.
     */
    public String dueMqTask(String source, String channel) {
        return due(source, channel, "MQ", null, "topic.team_success");
    }

    /** A due INIT MQ settlement task of partner s01/c01 whose body is {@code body(teamId)}; returns the team id. */
    public String dueMqTaskWithBody(UnaryOperator<String> body) {
        return due("s01", "c01", "MQ", null, "topic.team_success", body);
    }

    private String due(String source, String channel, String notifyType, String url, String routingKey) {
        return due(
                source,
                channel,
                notifyType,
                url,
                routingKey,
                teamId -> "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o" + teamId + "\"]}");
    }

    private String due(
            String source,
            String channel,
            String notifyType,
            String url,
            String routingKey,
            UnaryOperator<String> body) {
        String teamId = String.format("%08d", SEQ.incrementAndGet());
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                        + "notify_type, notify_url, notify_mq, notify_count, notify_status, parameter_json, "
                        + "next_attempt_time) VALUES (?, ?, 1, ?, ?, ?, 'trade_settlement', ?, ?, ?, 0, 0, ?, ?)",
                teamId + ":trade_settlement",
                "msg_" + teamId,
                teamId,
                source,
                channel,
                notifyType,
                url,
                routingKey,
                body.apply(teamId),
                Timestamp.from(Instant.now().minusSeconds(1)));
        return teamId;
    }

    public void makeDue(String teamId) {
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = ? WHERE team_id = ?",
                Timestamp.from(Instant.now().minusSeconds(1)),
                teamId);
    }

    /** The team's task as an assertion names it: {@code notify_status}, {@code notify_count}, {@code last_error}. */
    public Map<String, Object> row(String teamId) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT notify_status, notify_count, last_error FROM notify_task WHERE team_id = ?", teamId);
        row.put("notify_status", ((Number) row.get("notify_status")).intValue());
        row.put("notify_count", ((Number) row.get("notify_count")).intValue());
        return row;
    }

    public int status(String teamId) {
        return jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    public int count(String teamId) {
        return jdbc.queryForObject("SELECT notify_count FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    /** The id of the team's task. */
    public long taskId(String teamId) {
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
    }

    /** How many of the teams' tasks meet {@code condition} (SQL on notify_task's columns); 0 of no team. */
    public int countWhere(String condition, List<String> teams) {
        List<String> copy = List.copyOf(teams);
        if (copy.isEmpty()) {
            return 0;
        }
        String in = String.join(",", Collections.nCopies(copy.size(), "?"));
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE " + condition + " AND team_id IN (" + in + ")",
                Integer.class,
                copy.toArray());
    }

    public int attemptRows(String teamId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id " + "WHERE t.team_id = ?",
                Integer.class,
                teamId);
    }
}
