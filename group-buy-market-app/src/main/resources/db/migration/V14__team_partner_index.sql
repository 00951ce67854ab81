-- #12 team ownership (branch teamowner): a team belongs to the partner that opened it, so the trial lists and counts
-- only the caller's partner's teams (ITeamQueryDao: queryJoinableTeams, queryStatistic). idx_activity_status_end
-- (activity_id, status, valid_end_time) still found them, but filtered the partner on every row it read: a partner
-- with few teams in an activity that a larger one also sells read the larger one's open teams before its LIMIT was
-- met, and the statistics read every team of the activity. With the partner in the key both read only the partner's
-- own rows. EXPLAIN on a table of 40,000 teams (20,000 in the activity, 200 of them a second partner's, all open; 1,800
-- open of the first partner), MariaDB 10.11, counted with the session's Handler_read_* counters:
--   joinable teams of the small partner (LIMIT 2): ref on idx_activity_status_end, 181 index reads
--                                               -> range on this index, 1 read after the first key lookup, no sort
--   its statistics: full table scan, 40,001 rows -> ref on this index's first three columns, 200 rows
-- The cost: one more index entry written per team opened and moved per team status change (complete, failed,
-- complete with a refund), beside idx_activity_status_end and idx_status_end's. idx_activity_status_end stays: the
-- operators' console lists an activity's teams of every partner (optionally of one status) in end order.
ALTER TABLE group_buy_order
    ADD INDEX idx_activity_partner_status_end (activity_id, source, channel, status, valid_end_time);
