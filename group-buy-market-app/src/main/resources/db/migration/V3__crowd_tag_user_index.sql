-- Crowd tags: one bit position per user, shared by every tag bitmap. The original hashed user ids into 2^31 bits
-- (collisions between users, 256 MB keys); a dense position given once per user cannot collide and keeps a tag's
-- bitmap as small as the number of users ever tagged.
CREATE TABLE crowd_user_index (
    bit_index   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'the user''s position in every tag bitmap; never reused',
    user_id     VARCHAR(32)     NOT NULL,
    create_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (bit_index),
    UNIQUE KEY uq_user_id (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'user -> bit position of the crowd tag bitmaps';

-- The import pages a tag's members by row id (WHERE tag_id = ? AND id > ? ORDER BY id): this index answers each
-- page with a range read instead of sorting the whole tag.
ALTER TABLE crowd_tags_detail ADD KEY idx_tag_id_id (tag_id, id);
