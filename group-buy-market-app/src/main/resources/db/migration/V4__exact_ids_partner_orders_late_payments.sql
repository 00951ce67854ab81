-- Partner isolation (issue 12).
--
-- 1. A member order belongs to the partner (source + channel) that locked it: two malls may send the same user id
--    and out trade number, and each gets an order of its own. Every lookup of settlement, refund and repeated lock
--    names all four, so one partner can never reach another's order.
ALTER TABLE group_buy_order_list
    DROP KEY uq_user_out_trade_no,
    ADD UNIQUE KEY uq_partner_user_out_trade_no (user_id, out_trade_no, source, channel);

-- 2. A payment notice for an order we had already closed before it was paid (the buyer paid late): the mall was
--    told to refund its buyer (E0208). One row per order, so operators can count late payments; repeated notices of
--    the same payment only count up.
CREATE TABLE late_payment (
    id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    order_id       VARCHAR(12)     NOT NULL,
    user_id        VARCHAR(32)     NOT NULL,
    out_trade_no   VARCHAR(32)     NOT NULL,
    source         VARCHAR(16)     NOT NULL,
    channel        VARCHAR(16)     NOT NULL,
    team_id        VARCHAR(8)      NOT NULL,
    activity_id    BIGINT          NOT NULL,
    out_trade_time DATETIME(3)     NOT NULL COMMENT 'when the buyer paid, as the first late notice said',
    notice_count   INT             NOT NULL DEFAULT 1 COMMENT 'payment notices received for this closed order',
    create_time    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT 'first late notice',
    update_time    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_order_id (order_id),
    KEY idx_create_time (create_time)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'payment notices for orders closed before they were paid';

-- 3. Identifiers compare exactly. The tables were created in utf8mb4's default collation, which ignores case and
--    trailing spaces: user "XS1" reached user "xs1"'s order, and "AB" held "Ab"'s take. Every text column becomes a
--    binary NO PAD collation (exact bytes, trailing spaces count), and so does each table's default, so a column a
--    later migration adds without a collation compares exactly too. The collation is MariaDB's utf8mb4_nopad_bin or
--    MySQL 8's utf8mb4_0900_bin (plain utf8mb4_bin still pads: 'a' = 'a '). Each table is rebuilt: on a large
--    production table run this in a quiet window.
SET @exact := IF(VERSION() LIKE '%MariaDB%', 'utf8mb4_nopad_bin', 'utf8mb4_0900_bin');

SET @ddl := CONCAT('ALTER TABLE group_buy_activity CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE group_buy_discount CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE sku CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE sc_sku_activity CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE crowd_tags CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE crowd_tags_detail CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE crowd_tags_job CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE crowd_user_index CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE group_buy_order CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE group_buy_order_list CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE notify_task CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE notify_attempt CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
SET @ddl := CONCAT('ALTER TABLE late_payment CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
DEALLOCATE PREPARE convert_table;
