-- Crowd-tag membership per partner. A partner (source + channel) names its buyers in its own namespace: user "u1" of
-- s01/c01 and user "u1" of s02/c02 are two people (V13 made the take limit per partner's user for the same reason).
-- A tag's members and the users' bit positions were keyed by user id alone, so once s01's "u1" was imported into a tag,
-- s02's "u1" saw the tag's audience price and could join its teams (and, for a tag that excludes, the reverse). Now a
-- member row names the partner its user id belongs to, and a bit position is given per partner + exact user id, so the
-- tag bitmap (one per tag, over those positions) holds partner users, never bare ids.
--
-- 1. crowd_tags_detail: each member row names its partner. Rows written before V16 do not say whose user they are, and
--    nothing in the database can tell (a tag may serve several partners), so they are kept as they are, with
--    source/channel NULL: never deleted, never guessed. The import refuses a tag that still has such rows (0002 on the
--    admin API, the XXL-Job run fails, nothing written) until an operator names their partner (docs/operations.md).
--    The unique key becomes tag + partner + user: the same id may be a member once per partner.
ALTER TABLE crowd_tags_detail
    ADD COLUMN source VARCHAR(16) NULL COMMENT 'partner whose user id user_id is; NULL only on rows written before V16'
        AFTER tag_id,
    ADD COLUMN channel VARCHAR(16) NULL COMMENT 'partner whose user id user_id is; NULL only on rows written before V16'
        AFTER source,
    DROP KEY uq_tag_user,
    ADD UNIQUE KEY uq_tag_partner_user (tag_id, source, channel, user_id);

-- 2. crowd_user_index: a position per partner + user. Positions given before V16 (to a bare user id) are kept with
--    source/channel NULL: a lookup always names a partner, so they are never found again, and their bit_index values
--    are never reused (auto-increment), so no partner user can land on a bit an old bitmap set. The bitmaps themselves
--    move to new Redis keys (TagBitmap): the old ones are left in Redis, unread (docs/operations.md).
ALTER TABLE crowd_user_index
    ADD COLUMN source VARCHAR(16) NULL COMMENT 'partner of user_id; NULL only on positions given before V16'
        AFTER bit_index,
    ADD COLUMN channel VARCHAR(16) NULL COMMENT 'partner of user_id; NULL only on positions given before V16'
        AFTER source,
    DROP KEY uq_user_id,
    ADD UNIQUE KEY uq_partner_user (source, channel, user_id);
