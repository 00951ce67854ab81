package com.groupbuy.market.activity;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.JdbcTemplate;

/** Writes market configuration rows for a test: one goods sold through s01/c01 under one activity. */
public final class MarketConfigFixture {

    private final JdbcTemplate jdbc;

    public MarketConfigFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An effective activity open for a day either side of now, teams of 3, valid 15 minutes, for everyone. */
    public void goods(String goodsId, long activityId, String plan, String expr, String originalPrice) {
        goods(goodsId, activityId, plan, expr, originalPrice, null, null, 0, null);
    }

    /** As above, with this audience tag and scope and a discount of this type (0 everyone, 1 its tag's members). */
    public void goods(
            String goodsId,
            long activityId,
            String plan,
            String expr,
            String originalPrice,
            String tagId,
            String tagScope,
            int discountType,
            String discountTagId) {
        Instant now = Instant.now();
        goods(
                goodsId,
                activityId,
                plan,
                expr,
                originalPrice,
                1,
                now.minus(1, ChronoUnit.DAYS),
                now.plus(1, ChronoUnit.DAYS),
                tagId,
                tagScope,
                discountType,
                discountTagId);
    }

    public void goods(
            String goodsId,
            long activityId,
            String plan,
            String expr,
            String originalPrice,
            int status,
            Instant start,
            Instant end,
            String tagId,
            String tagScope,
            int discountType,
            String discountTagId) {
        String discountId = "d" + activityId;
        jdbc.update(
                "INSERT INTO group_buy_discount (discount_id, discount_name, discount_type, market_plan, market_expr, tag_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                discountId,
                "test " + plan,
                discountType,
                plan,
                expr,
                discountTagId);
        jdbc.update(
                "INSERT INTO sku (source, channel, goods_id, goods_name, original_price) VALUES ('s01', 'c01', ?, ?, ?)",
                goodsId,
                "goods " + goodsId,
                new BigDecimal(originalPrice));
        jdbc.update(
                "INSERT INTO group_buy_activity (activity_id, activity_name, discount_id, group_type, take_limit_count, "
                        + "target, valid_time, status, start_time, end_time, tag_id, tag_scope) "
                        + "VALUES (?, 'test', ?, 0, 1, 3, 15, ?, ?, ?, ?, ?)",
                activityId,
                discountId,
                status,
                Timestamp.from(start),
                Timestamp.from(end),
                tagId,
                tagScope);
        soldThrough("s01", "c01", goodsId, activityId);
    }

    /** The goods sold through a source/channel too, under the activity: the trial and the lock find it there. */
    public void soldThrough(String source, String channel, String goodsId, long activityId) {
        jdbc.update(
                "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES (?, ?, ?, ?)",
                source,
                channel,
                goodsId,
                activityId);
    }

    public void team(
            String teamId, long activityId, String leader, int lock, int complete, int status, Instant validEnd) {
        jdbc.update(
                "INSERT INTO group_buy_order (team_id, activity_id, leader_user_id, source, channel, original_price, "
                        + "deduction_price, pay_price, target_count, complete_count, lock_count, status, valid_start_time, "
                        + "valid_end_time, notify_type, notify_url) VALUES (?, ?, ?, 's01', 'c01', 100, 20, 80, 3, ?, ?, ?, ?, ?, "
                        + "'HTTP', 'http://127.0.0.1/cb')",
                teamId,
                activityId,
                leader,
                complete,
                lock,
                status,
                Timestamp.from(validEnd.minus(15, ChronoUnit.MINUTES)),
                Timestamp.from(validEnd));
    }

    public void member(String teamId, long activityId, String userId, String orderId, String outTradeNo, int status) {
        Instant now = Instant.now();
        jdbc.update(
                "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, goods_id, "
                        + "source, channel, original_price, deduction_price, pay_price, status, out_trade_no) "
                        + "VALUES (?, ?, ?, ?, ?, ?, 'g', 's01', 'c01', 100, 20, 80, ?, ?)",
                userId,
                teamId,
                orderId,
                activityId,
                Timestamp.from(now),
                Timestamp.from(now),
                status,
                outTradeNo);
    }
}
