package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V16 on a database holding crowd-tag rows written before it, keyed by user id alone: nothing is deleted or guessed.
 * Member rows and bit positions are kept with no partner (source/channel NULL); a partner's user with the same id gets
 * a member row and a position of its own, and a new position never reuses an old one (an old bitmap's bit can never
 * come to mean a partner user).
 */
class TagPartnerMigrationIT {

    private final MigrationDatabase database = MigrationDatabase.create("gbm_mig16_");
    private final JdbcTemplate jdbc = database.jdbc();

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void rowsWrittenBeforeTheUpgradeAreKeptWithoutAPartnerAndNeverMatchOne() {
        flyway(MigrationVersion.fromVersion("15")).migrate();
        jdbc.update("INSERT INTO crowd_tags (tag_id, tag_name) VALUES ('OLD', 'old')");
        jdbc.update("INSERT INTO crowd_tags_detail (tag_id, user_id) VALUES ('OLD', 'u1'), ('OLD', 'u2')");
        jdbc.update("INSERT INTO crowd_user_index (user_id) VALUES ('u1'), ('u2')");
        long oldMax = jdbc.queryForObject("SELECT MAX(bit_index) FROM crowd_user_index", Long.class);

        assertThat(flyway(MigrationVersion.LATEST).migrate().success).isTrue();

        assertThat(jdbc.queryForList(
                        "SELECT user_id FROM crowd_tags_detail WHERE tag_id = 'OLD' AND source IS NULL AND channel IS NULL"
                                + " ORDER BY user_id",
                        String.class))
                .containsExactly("u1", "u2");
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM crowd_user_index WHERE source IS NULL AND channel IS NULL",
                        Integer.class))
                .isEqualTo(2);
        // The same id as a partner's user: a member row and a position of its own, past every old position.
        jdbc.update(
                "INSERT INTO crowd_tags_detail (tag_id, source, channel, user_id) VALUES ('OLD', 's01', 'c01', 'u1')");
        jdbc.update("INSERT INTO crowd_user_index (source, channel, user_id) VALUES ('s01', 'c01', 'u1'),"
                + " ('s02', 'c02', 'u1')");
        Map<String, Object> a = jdbc.queryForMap(
                "SELECT bit_index FROM crowd_user_index WHERE source = 's01' AND channel = 'c01' AND user_id = 'u1'");
        assertThat(((Number) a.get("bit_index")).longValue()).isGreaterThan(oldMax);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(DISTINCT bit_index) FROM crowd_user_index WHERE user_id = 'u1'", Integer.class))
                .isEqualTo(3);
        // One position per partner + exact id, and one member row per tag + partner + exact id.
        assertThatThrownBy(() -> jdbc.update(
                        "INSERT INTO crowd_user_index (source, channel, user_id) VALUES ('s01', 'c01', 'u1')"))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(
                        () -> jdbc.update(
                                "INSERT INTO crowd_tags_detail (tag_id, source, channel, user_id) VALUES ('OLD', 's01', 'c01', 'u1')"))
                .isInstanceOf(DuplicateKeyException.class);
        jdbc.update("INSERT INTO crowd_user_index (source, channel, user_id) VALUES ('s01', 'c01', 'u1 '),"
                + " ('s01', 'c01', 'U1')");
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM crowd_user_index WHERE source = 's01' AND channel = 'c01'",
                        Integer.class))
                .isEqualTo(3);
    }

    private Flyway flyway(MigrationVersion target) {
        return database.flyway(target);
    }
}
