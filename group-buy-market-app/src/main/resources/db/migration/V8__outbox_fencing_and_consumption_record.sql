-- Outbox hardening (#14). A lease now carries a fencing token: every finishing write must present the token of the
-- lease it was made under, so a claimant whose lease ran out and was taken over (even one in the same JVM, under
-- the same worker name) cannot overwrite the newer claimant's result.
ALTER TABLE notify_task
    ADD COLUMN claim_token CHAR(36) NULL COMMENT 'fencing token of the current lease; finishing writes must match it'
        AFTER claimed_by;

-- Our own consumers (the refund consumer giving team places back): one row per message id and consumer, so the
-- effect happens once however often the broker redelivers. status: 0 processing, 1 success, 2 fail (dead-lettered).
CREATE TABLE mq_consumption_record (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    consumer    VARCHAR(64)     NOT NULL COMMENT 'which of our consumers: a message may concern several',
    message_id  VARCHAR(64)     CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL COMMENT 'the AMQP message id (a notify task''s webhook-id)',
    routing_key VARCHAR(128)    NULL,
    body        VARCHAR(1024)   NULL COMMENT 'the message body as received (cut at 1024), for operators',
    status      TINYINT         NOT NULL DEFAULT 0 COMMENT '0 processing, 1 success, 2 fail',
    attempts    INT             NOT NULL DEFAULT 0 COMMENT 'attempts started; at most 3',
    version     INT             NOT NULL DEFAULT 0 COMMENT 'optimistic lock: each change names the version it read',
    last_error  VARCHAR(512)    NULL COMMENT 'why the last attempt failed; the dead-letter reason once failed',
    create_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_consumer_message (consumer, message_id),
    KEY idx_status_update (status, update_time)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'consumption record per message: exactly-once effects';

-- Identifiers compare exactly, as V4 made every other table: the table's text columns in the binary NO PAD collation.
SET @exact := IF(VERSION() LIKE '%MariaDB%', 'utf8mb4_nopad_bin', 'utf8mb4_0900_bin');
SET @ddl := CONCAT('ALTER TABLE mq_consumption_record CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
DEALLOCATE PREPARE convert_table;
