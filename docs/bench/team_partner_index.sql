-- Scratch schema and data for the trial's partner-filtered team queries (docs/benchmarks.md, "Trial team queries per partner").
-- Run against a MariaDB of your own: mysql -uroot -t < docs/bench/team_partner_index.sql (creates and drops teamowner_explain).
DROP DATABASE IF EXISTS teamowner_explain;
CREATE DATABASE teamowner_explain CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
USE teamowner_explain;
CREATE TABLE group_buy_order (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, team_id VARCHAR(8) NOT NULL, activity_id BIGINT NOT NULL,
    leader_user_id VARCHAR(32) NOT NULL, source VARCHAR(16) NOT NULL, channel VARCHAR(16) NOT NULL,
    original_price DECIMAL(8,2) NOT NULL, deduction_price DECIMAL(8,2) NOT NULL, pay_price DECIMAL(8,2) NOT NULL,
    target_count INT NOT NULL, complete_count INT NOT NULL DEFAULT 0, lock_count INT NOT NULL DEFAULT 0,
    status TINYINT NOT NULL DEFAULT 0, valid_start_time DATETIME(3) NOT NULL, valid_end_time DATETIME(3) NOT NULL,
    notify_type VARCHAR(8) NOT NULL DEFAULT 'HTTP', notify_url VARCHAR(512) NULL,
    PRIMARY KEY (id), UNIQUE KEY uq_team_id (team_id),
    KEY idx_activity_status_end (activity_id, status, valid_end_time), KEY idx_status_end (status, valid_end_time)
) ENGINE=InnoDB;
CREATE TABLE group_buy_order_list (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, user_id VARCHAR(32) NOT NULL, team_id VARCHAR(8) NOT NULL,
    order_id VARCHAR(12) NOT NULL, activity_id BIGINT NOT NULL, source VARCHAR(16) NOT NULL, channel VARCHAR(16) NOT NULL,
    status TINYINT NOT NULL DEFAULT 0, out_trade_no VARCHAR(32) NOT NULL,
    PRIMARY KEY (id), UNIQUE KEY uq_order_id (order_id), UNIQUE KEY uq_partner_user_out_trade_no (user_id, out_trade_no, source, channel),
    KEY idx_team (team_id), KEY idx_activity_user (activity_id, user_id)
) ENGINE=InnoDB;
-- activity 1: partner s01/c01 opens 20000 teams (2000 open, ending over the next hours), s02/c02 opens 200 (20 open)
INSERT INTO group_buy_order (team_id, activity_id, leader_user_id, source, channel, original_price, deduction_price, pay_price,
  target_count, complete_count, lock_count, status, valid_start_time, valid_end_time)
SELECT LPAD(seq, 8, '0'), 1, CONCAT('u', seq), IF(seq % 100 = 0, 's02', 's01'), IF(seq % 100 = 0, 'c02', 'c01'), 100, 20, 80,
  3, 0, 1, IF(seq % 10 = 0, 0, 1), NOW(3) - INTERVAL 1 HOUR, NOW(3) + INTERVAL (seq % 1000) MINUTE
FROM seq_1_to_20000;
-- other activities: 20000 teams
INSERT INTO group_buy_order (team_id, activity_id, leader_user_id, source, channel, original_price, deduction_price, pay_price,
  target_count, complete_count, lock_count, status, valid_start_time, valid_end_time)
SELECT LPAD(100000 + seq, 8, '0'), 2 + seq % 20, CONCAT('u', seq), 's01', 'c01', 100, 20, 80,
  3, 0, 1, 1, NOW(3) - INTERVAL 1 HOUR, NOW(3) + INTERVAL (seq % 1000) MINUTE
FROM seq_1_to_20000;
INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, source, channel, status, out_trade_no)
SELECT leader_user_id, team_id, CONCAT('o', team_id), activity_id, source, channel, 0, CONCAT('out-', team_id) FROM group_buy_order;
ANALYZE TABLE group_buy_order, group_buy_order_list;
SELECT 'before V14' AS step;
EXPLAIN SELECT o.team_id FROM group_buy_order o WHERE o.activity_id = 1 AND o.source = 's02' AND o.channel = 'c02' AND o.status = 0 AND o.valid_end_time > NOW(3) AND o.lock_count > 0 AND o.lock_count < o.target_count ORDER BY o.valid_end_time LIMIT 2;
FLUSH STATUS;
SELECT o.team_id FROM group_buy_order o WHERE o.activity_id = 1 AND o.source = 's02' AND o.channel = 'c02' AND o.status = 0 AND o.valid_end_time > NOW(3) AND o.lock_count > 0 AND o.lock_count < o.target_count ORDER BY o.valid_end_time LIMIT 2;
SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next','Handler_read_key','Handler_read_rnd_next','Sort_rows');
EXPLAIN SELECT COUNT(*), COALESCE(SUM(lock_count),0) FROM group_buy_order WHERE activity_id = 1 AND source = 's02' AND channel = 'c02';
FLUSH STATUS;
SELECT COUNT(*), COALESCE(SUM(lock_count),0) FROM group_buy_order WHERE activity_id = 1 AND source = 's02' AND channel = 'c02';
SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next','Handler_read_key','Handler_read_rnd_next');
EXPLAIN SELECT o.team_id FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id WHERE l.activity_id = 1 AND l.user_id = 'u100' AND l.status IN (0,1) AND l.source = 's02' AND l.channel = 'c02' AND o.status = 0 AND o.valid_end_time > NOW(3) AND o.source = 's02' AND o.channel='c02' ORDER BY l.id DESC LIMIT 1;
EXPLAIN SELECT out_trade_no FROM group_buy_order_list WHERE team_id = '00000100' AND status = 1 AND source = 's02' AND channel = 'c02' ORDER BY id;
ALTER TABLE group_buy_order ADD INDEX idx_activity_partner_status_end (activity_id, source, channel, status, valid_end_time);
ANALYZE TABLE group_buy_order;
SELECT 'after V14' AS step;
EXPLAIN SELECT o.team_id FROM group_buy_order o WHERE o.activity_id = 1 AND o.source = 's02' AND o.channel = 'c02' AND o.status = 0 AND o.valid_end_time > NOW(3) AND o.lock_count > 0 AND o.lock_count < o.target_count ORDER BY o.valid_end_time LIMIT 2;
FLUSH STATUS;
SELECT o.team_id FROM group_buy_order o WHERE o.activity_id = 1 AND o.source = 's02' AND o.channel = 'c02' AND o.status = 0 AND o.valid_end_time > NOW(3) AND o.lock_count > 0 AND o.lock_count < o.target_count ORDER BY o.valid_end_time LIMIT 2;
SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next','Handler_read_key','Handler_read_rnd_next','Sort_rows');
EXPLAIN SELECT COUNT(*), COALESCE(SUM(lock_count),0) FROM group_buy_order WHERE activity_id = 1 AND source = 's02' AND channel = 'c02';
FLUSH STATUS;
SELECT COUNT(*), COALESCE(SUM(lock_count),0) FROM group_buy_order WHERE activity_id = 1 AND source = 's02' AND channel = 'c02';
SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next','Handler_read_key','Handler_read_rnd_next');
EXPLAIN SELECT o.team_id FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id WHERE l.activity_id = 1 AND l.user_id = 'u100' AND l.status IN (0,1) AND l.source = 's02' AND l.channel = 'c02' AND o.status = 0 AND o.valid_end_time > NOW(3) AND o.source = 's02' AND o.channel='c02' ORDER BY l.id DESC LIMIT 1;
EXPLAIN SELECT out_trade_no FROM group_buy_order_list WHERE team_id = '00000100' AND status = 1 AND source = 's02' AND channel = 'c02' ORDER BY id;
DROP DATABASE teamowner_explain;
