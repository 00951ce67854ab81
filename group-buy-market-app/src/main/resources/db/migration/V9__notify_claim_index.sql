-- #14, the compensation drain: due tasks are claimed by reading idx_status_next one status at a time in index order
-- (INotifyTaskDao.queryDueCandidates). With the lease end and the notify type in the index the read never touches
-- the rows: tasks leased by running lanes sit at the head of the range and are passed over in the index, and the
-- claim learns which tasks go out over MQ (a page of them is published together) without reading the rows.
-- The two leading columns stay, so every other reader of idx_status_next (retention, deliver-now, the admin
-- listing) keeps its plan.
ALTER TABLE notify_task
    DROP INDEX idx_status_next,
    ADD INDEX idx_status_next (notify_status, next_attempt_time, claim_until, notify_type);
