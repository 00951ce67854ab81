-- The take limit per partner's user. A partner (source + channel) names its buyers in its own namespace: user "u1"
-- of s01/c01 and user "u1" of s02/c02 are two people. The take limit was counted, and guarded by uq_biz_id, per
-- activity and user id across every partner, so one partner's buyer taking the activity's last take refused another
-- partner's buyer of the same id (E0103). The lock now counts a user's live takes per activity, source, channel and
-- user (the mappers' live_takes), and the biz id names the partner, so the unique guard holds per partner's user.
--
-- 1. biz_id widens to hold the new format: activity id (BIGINT, at most 20 characters), source (16), channel (16),
--    user (32) and take sequence (an INT, at most 10 digits), joined by four U+001F (ASCII unit separator) characters:
--    at most 98. The separator is a control character, which the edge refuses in every id, so no two takes share a biz
--    id. The column keeps the table's exact (binary, NO PAD) collation and its unique key uq_biz_id.
ALTER TABLE group_buy_order_list
    MODIFY biz_id VARCHAR(100) NULL
        COMMENT 'activity, source, channel, user, take sequence joined by U+001F while the order holds a take; makes the take limit hold in the DB';

-- 2. Every take held before this version, written as activity_user_sequence, is rewritten into the new format from
--    the row's own activity, partner and user and the old id's sequence (after its last '_'; a user id may hold '_',
--    the sequence is digits). A take held before the upgrade must still collide with the same user's next take at the
--    same partner, or an upgrade would let that user past the limit. Only live takes have a biz id (a refund or close
--    sets it to NULL), and uq_biz_id finds them. No rewritten id can meet an old one (only new ones hold U+001F), and
--    two rewritten ids are equal only if their old ids were. The separator is a literal with its character set
--    (coercible), so it takes the columns' collation on MariaDB and MySQL alike.
UPDATE group_buy_order_list
SET biz_id = CONCAT_WS(_utf8mb4 X'1F', activity_id, source, channel, user_id, SUBSTRING_INDEX(biz_id, '_', -1))
WHERE biz_id IS NOT NULL;
