-- Demo data of the default (embedded) profile only: one activity a newcomer can lock and settle against.
-- Goods 9890001 at 100.00 through source s01 / channel c01, teams of 3, 20.00 off, 15-minute teams,
-- one order per user, open to everyone, effective for a year from the first start.
INSERT INTO group_buy_discount (discount_id, discount_name, discount_desc, discount_type, market_plan, market_expr)
VALUES ('25120207', 'demo: 20 off', 'direct reduction of 20.00', 0, 'ZJ', '20')
ON DUPLICATE KEY UPDATE discount_name = VALUES(discount_name);

INSERT INTO sku (source, channel, goods_id, goods_name, original_price)
VALUES ('s01', 'c01', '9890001', 'demo goods', 100.00)
ON DUPLICATE KEY UPDATE goods_name = VALUES(goods_name);

INSERT INTO group_buy_activity (activity_id, activity_name, discount_id, group_type, take_limit_count, target,
                                valid_time, status, start_time, end_time, tag_id, tag_scope)
VALUES (100123, 'demo group buy', '25120207', 0, 1, 3, 15, 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL 1 YEAR,
        NULL, NULL)
ON DUPLICATE KEY UPDATE activity_name = VALUES(activity_name);

INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id)
VALUES ('s01', 'c01', '9890001', 100123)
ON DUPLICATE KEY UPDATE activity_id = VALUES(activity_id);
