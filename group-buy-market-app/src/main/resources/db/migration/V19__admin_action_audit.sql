-- Every admitted admin action that changes state (any method but GET and HEAD under /api/v1/gbm/admin/, the console's
-- sign-in excepted): who (the operator whose token or console session it showed, never a body's name), what (method,
-- path, the query string cut at 1000 characters), when, from which client address, and its outcome (the HTTP status
-- and the envelope's code). Written by AdminAuditInterceptor right after the action answered (docs/operations.md,
-- "Admin action audit"). Calls refused for their credential are not written: anyone could fill the table with them.
-- Rows older than gbm.admin.audit.retention are deleted, a few at a time, as new ones are written; nothing else is.
-- Rolling: a new table, which an old instance does not know. A second run changes nothing (IF NOT EXISTS; the
-- conversion to the exact collation is the same each time).
CREATE TABLE IF NOT EXISTS admin_action (
    id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    operator       VARCHAR(64)     NOT NULL COMMENT 'the named operator (gbm.admin.operators), or gbm.admin.token',
    shared_token   TINYINT(1)      NOT NULL COMMENT '1: the shared gbm.admin.token, whose holder nothing names',
    method         VARCHAR(8)      NOT NULL,
    path           VARCHAR(255)    NOT NULL COMMENT 'the request path, ids included, cut at 255 characters',
    query          VARCHAR(1000)   NULL COMMENT 'the query string (parameters), cut at 1000 characters',
    remote_address VARCHAR(64)     NULL COMMENT 'the client address the request came from',
    http_status    SMALLINT        NOT NULL COMMENT 'the answer''s HTTP status',
    code           VARCHAR(16)     NULL COMMENT 'the answer''s envelope code (0000 accepted, else its refusal)',
    acted_at       DATETIME(3)     NOT NULL COMMENT 'when the action answered',
    PRIMARY KEY (id),
    KEY idx_acted_at (acted_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'audit of admin actions that change state; only aged out';

-- Names compare exactly, as V4 made every other table.
SET @exact := IF(VERSION() LIKE '%MariaDB%', 'utf8mb4_nopad_bin', 'utf8mb4_0900_bin');
SET @ddl := CONCAT('ALTER TABLE admin_action CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
DEALLOCATE PREPARE convert_table;
