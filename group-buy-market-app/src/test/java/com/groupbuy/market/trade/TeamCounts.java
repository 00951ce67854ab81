package com.groupbuy.market.trade;

import com.groupbuy.market.infrastructure.adapter.port.TeamPlaceReservation;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;

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
        return jdbc.queryForMap("SELECT status, lock_count, complete_count FROM group_buy_order WHERE team_id = ?", teamId);
    }

    int lockCount(String teamId) {
        return ((Number) team(teamId).get("lock_count")).intValue();
    }

    /** The Redis place counter; -1 when the key does not exist. */
    int redisPlaces(String teamId) {
        Object value = redisson.getBucket(reservation.key(teamId), StringCodec.INSTANCE).get();
        return value == null ? -1 : Integer.parseInt(value.toString());
    }

    int orderStatus(String userId) {
        return jdbc.queryForObject("SELECT status FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                Integer.class, userId, "out-" + userId);
    }

    String bizId(String userId) {
        return jdbc.queryForObject("SELECT biz_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                String.class, userId, "out-" + userId);
    }

    int tasks(String teamId, String category) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = ?",
                Integer.class, teamId, category);
    }

    /** Tasks of one channel (HTTP or MQ). */
    int tasks(String teamId, String category, String notifyType) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = ? "
                + "AND notify_type = ?", Integer.class, teamId, category, notifyType);
    }
}
