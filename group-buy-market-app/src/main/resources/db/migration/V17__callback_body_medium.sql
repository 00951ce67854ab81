-- A team's completion callback lists every paid member's trade number ({"teamId":…,"outTradeNoList":[…]}): 40 bytes
-- plus up to 99 per member (32 characters of three-byte UTF-8, two quotes, a comma). In TEXT (65,535 bytes) the
-- body of a team of 662 such members, or of 1,872 with 32 ASCII characters each, did not fit: the task's INSERT IGNORE
-- stored it cut at 65,535 bytes (a warning, not strict mode's error; a settlement batch's plain insert got the error,
-- rolled back and was written alone, cut the same way). The first delivery, from memory, was whole; every redelivery
-- (a partner's 500 or timeout, the compensation job) sent the cut body, broken JSON, signed (SettlementIT, a team of
-- 700). MEDIUMTEXT holds 16 MiB; the trial refuses an activity whose target is above ActivityVO.MAX_TARGET (10,000: at
-- most 990,040 bytes, inside the 1 MiB a partner's web server commonly accepts), so every completion's body fits.
-- Rolling: an old instance reads and writes the column as a string, unchanged. MariaDB and MySQL rebuild the table
-- for this change (ALGORITHM=COPY): writes to notify_task wait until it is copied, so completions, refunds and
-- callback deliveries pause for that long (docs/operations.md, Upgrading). A second run changes nothing.
ALTER TABLE notify_task
    MODIFY parameter_json MEDIUMTEXT NOT NULL COMMENT 'the body delivered';
