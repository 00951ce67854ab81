-- #19 (branch dbwork): index entries written on every lock and payment that no query needs. Each lock that opens a team writes a close
-- check into notify_task and, when the relay has published it, an attempt row into notify_attempt; each completed
-- team writes a callback task and its attempt. Counted with docs/bench/db_work.sh (performance_schema, redo bytes):
-- docs/benchmarks.md, "Database work per request (#19, branch dbwork)".
--
-- 1. notify_task.uq_webhook_id: no statement looks a task up by webhook_id (it is written once and sent as the
--    webhook-id header / AMQP message id). The value is unique by construction (UniqueIds.hex32: 64 random bits per
--    process, then a counter), so the unique index only cost a B-tree insert, with its uniqueness read, per task.
ALTER TABLE notify_task DROP INDEX uq_webhook_id;

-- 2. notify_attempt: its surrogate id was never read; every reader names the task (the admin listing by task and
--    attempt number, retention's delete by task ids) and (task_id, attempt_no) was already unique. That key becomes
--    the primary key, so an attempt is one B-tree insert instead of two, and the readers read the clustered rows
--    directly instead of going through the secondary index.
ALTER TABLE notify_attempt
    DROP PRIMARY KEY,
    DROP COLUMN id,
    DROP INDEX uq_task_attempt,
    ADD PRIMARY KEY (task_id, attempt_no);

-- 3. group_buy_order_list.idx_team_status (team_id, status) becomes idx_team (team_id): every payment and every
--    close changed status and so moved the row's entry in this index (a delete-mark and an insert, purged later) on
--    top of idx_status_create's. Its readers all name the team and read at most the team's few member rows, whose
--    status they filter on the row they read anyway (settlement's paid members, expiry's locked live members, the
--    place reconciler's order keys, the shown member, the console's members); in idx_team's order (team_id, id),
--    so their ORDER BY id needs no sort.
ALTER TABLE group_buy_order_list
    DROP INDEX idx_team_status,
    ADD INDEX idx_team (team_id);
