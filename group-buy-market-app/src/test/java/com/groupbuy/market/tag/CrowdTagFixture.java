package com.groupbuy.market.tag;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes crowd-tag rows for a test: a tag, an import job for it, and its member rows. Members are users of a partner
 * (source + channel); without one named they are s01/c01's, the partner {@code TradeClient} and the trials play.
 */
public final class CrowdTagFixture {

    public static final String SOURCE = "s01";
    public static final String CHANNEL = "c01";

    private final JdbcTemplate jdbc;

    public CrowdTagFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A tag with one created job (batch id {@code "b-" + tagId}) and these members of s01/c01. */
    public void tag(String tagId, List<String> members) {
        tag(tagId, SOURCE, CHANNEL, members);
    }

    /** A tag with one created job (batch id {@code "b-" + tagId}) and these members of {@code source}/{@code channel}. */
    public void tag(String tagId, String source, String channel, List<String> members) {
        jdbc.update("INSERT INTO crowd_tags (tag_id, tag_name) VALUES (?, ?)", tagId, "tag " + tagId);
        job(tagId, "b-" + tagId, 0);
        members(tagId, source, channel, members);
    }

    public void job(String tagId, String batchId, int status) {
        jdbc.update("INSERT INTO crowd_tags_job (tag_id, batch_id, status) VALUES (?, ?, ?)", tagId, batchId, status);
    }

    public void members(String tagId, List<String> members) {
        members(tagId, SOURCE, CHANNEL, members);
    }

    /** Member rows naming their partner; a null source/channel writes a row as before V16 (no partner). */
    public void members(String tagId, String source, String channel, List<String> members) {
        jdbc.batchUpdate(
                "INSERT INTO crowd_tags_detail (tag_id, source, channel, user_id) VALUES (?, ?, ?, ?)",
                members.stream()
                        .map(user -> new Object[] {tagId, source, channel, user})
                        .toList());
    }

    public int statistics(String tagId) {
        return jdbc.queryForObject("SELECT statistics FROM crowd_tags WHERE tag_id = ?", Integer.class, tagId);
    }

    public int jobStatus(String batchId) {
        return jdbc.queryForObject("SELECT status FROM crowd_tags_job WHERE batch_id = ?", Integer.class, batchId);
    }
}
