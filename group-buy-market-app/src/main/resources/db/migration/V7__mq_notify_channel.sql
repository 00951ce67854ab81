-- V7: the MQ notify channel.
-- 1. A team records the notifyMQ its lock gave (the routing keys we publish with stay ours; see docs/api.md).
ALTER TABLE group_buy_order
    ADD COLUMN notify_mq VARCHAR(64) NULL COMMENT 'notifyMQ as the lock gave it (recorded, not used for routing)'
        AFTER notify_type;

-- 2. Refund callbacks no longer go to a team-success URL: malls of the original platform answer every refund body
--    there with an error, so those tasks would retry for a day and then fail. End the ones still owed, with the reason
--    in last_error; a partner that wants HTTP refunds subscribes a refund URL (gbm.notify.refund-urls.<source>.<channel>).
UPDATE notify_task t
    JOIN group_buy_order o ON o.team_id = t.team_id
SET t.notify_status = 3,
    t.claimed_by    = NULL,
    t.claim_until   = NULL,
    t.last_error    = 'ended by migration V7: refund callbacks are no longer sent to the team-success URL; subscribe a refund URL (gbm.notify.refund-urls)'
WHERE t.notify_category IN ('trade_unpaid2refund', 'trade_paid2refund', 'trade_paid_team2refund')
  AND t.notify_type = 'HTTP'
  AND t.notify_status IN (0, 2)
  AND t.notify_url = o.notify_url;
