package com.groupbuy.market.trade;

import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import java.util.List;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads a team's counts from the database and its place counter from Redis, for tests that compare them. */
@Component
class TeamCounts {

    private final JdbcTemplate jdbc;
    private final RedissonClient redisson;
    private final TeamPlaceReservation reservation;

    TeamCounts(JdbcTemplate jdbc, RedissonClient redisson, TeamPlaceReservation reservation) {
        this.jdbc = jdbc;
        this.redisson = redisson;
        this.reservation = reservation;
    }

    /** status, lock_count, complete_count of the team row. */
    Map<String, Object> team(String teamId) {
        return jdbc.queryForMap(
                "SELECT status, lock_count, complete_count FROM group_buy_order WHERE team_id = ?", teamId);
    }

    /** The team's paid places. */
    int completeCount(String teamId) {
        return ((Number) team(teamId).get("complete_count")).intValue();
    }

    int lockCount(String teamId) {
        return ((Number) team(teamId).get("lock_count")).intValue();
    }

    /** The Redis place counter; -1 when the key does not exist. */
    int redisPlaces(String teamId) {
        return reservation.placesOf(teamId);
    }

    int orderStatus(String userId) {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                Integer.class,
                userId,
                "out-" + userId);
    }

    String bizId(String userId) {
        return jdbc.queryForObject(
                "SELECT biz_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                String.class,
                userId,
                "out-" + userId);
    }

    /** Payment notices recorded as late for the user's order ("out-" + user id); 0 when none. */
    int lateNotices(String userId) {
        return jdbc.queryForObject(
                "SELECT COALESCE(SUM(notice_count), 0) FROM late_payment WHERE user_id = ? " + "AND out_trade_no = ?",
                Integer.class,
                userId,
                "out-" + userId);
    }

    /** The order row as a whole (status, out_trade_time, biz_id, prices), to show that nothing in it changed. */
    Map<String, Object> order(String userId) {
        return jdbc.queryForMap(
                "SELECT * FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?", userId, "out-" + userId);
    }

    int tasks(String teamId, String category) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = ?",
                Integer.class,
                teamId,
                category);
    }

    /** Tasks of one channel (HTTP or MQ). */
    int tasks(String teamId, String category, String notifyType) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = ? " + "AND notify_type = ?",
                Integer.class,
                teamId,
                category,
                notifyType);
    }

    /** The team's completion callbacks: task key, partner, channel and target, in id order. */
    List<String> completionTasks(String teamId) {
        return jdbc.queryForList(
                "SELECT CONCAT(task_key, ' ', source, '/', channel, ' ', notify_type, ' ', "
                        + "COALESCE(notify_url, notify_mq)) FROM notify_task "
                        + "WHERE team_id = ? AND notify_category = 'trade_settlement' ORDER BY id",
                String.class,
                teamId);
    }
}
