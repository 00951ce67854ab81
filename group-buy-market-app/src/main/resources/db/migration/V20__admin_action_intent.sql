-- An admin action is recorded before it runs, not only after (docs/operations.md, "Admin action audit"): once its
-- credential is admitted, AdminAuditInterceptor inserts its row (operator, method, path, query, address, acted_at) and
-- the action runs only if that insert committed; when it has answered, the same row's outcome (http_status, code,
-- answered_at) is filled in by id, once (an UPDATE that fills only an outcome not yet filled). A row whose http_status
-- is NULL has an unknown outcome: the action is running, or its process died or its outcome could not be written
-- after it ran, so it may or may not have taken effect. Written only after the answer (V19), an action whose process
-- died between its commit and its record left no row at all.
-- acted_at keeps its column and index (the retention reads it) and now says when the action was admitted, before it
-- ran; on rows written before V20 (and by an instance older than V20) it is when the action answered, and their
-- answered_at is NULL (the audit listing reads acted_at as their answer's time).
-- Rolling: an old instance still writes whole rows after the answer (answered_at NULL) and lists a row whose outcome
-- is unknown with http_status 0 and code null. A second run changes nothing (MODIFY to the same definition; the column
-- is added only when it is not there).
ALTER TABLE admin_action
    MODIFY http_status SMALLINT NULL
        COMMENT 'the answer''s HTTP status; NULL: outcome unknown (running, or never written)',
    MODIFY acted_at DATETIME(3) NOT NULL COMMENT 'when the action was admitted, before it ran (before V20: answered)';

SET @has_answered_at := (SELECT COUNT(*) FROM information_schema.COLUMNS
                         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'admin_action'
                           AND COLUMN_NAME = 'answered_at');
SET @ddl := IF(@has_answered_at = 0,
               CONCAT('ALTER TABLE admin_action ADD COLUMN answered_at DATETIME(3) NULL COMMENT ',
                      '''when the action answered; NULL: outcome unknown, or written before V20'' AFTER acted_at'),
               'DO 0');
PREPARE add_answered_at FROM @ddl;
EXECUTE add_answered_at;
DEALLOCATE PREPARE add_answered_at;
