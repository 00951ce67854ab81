package com.groupbuy.market.tag;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Writes crowd-tag rows for a test: a tag, an import job for it, and its member rows. */
public final class CrowdTagFixture {

    private final JdbcTemplate jdbc;

    public CrowdTagFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A tag with one created job (batch id {@code "b-" + tagId}) and these members. */
    public void tag(String tagId, List<String> members) {
        jdbc.update("INSERT INTO crowd_tags (tag_id, tag_name) VALUES (?, ?)", tagId, "tag " + tagId);
        job(tagId, "b-" + tagId, 0);
        members(tagId, members);
    }

    public void job(String tagId, String batchId, int status) {
        jdbc.update("INSERT INTO crowd_tags_job (tag_id, batch_id, status) VALUES (?, ?, ?)", tagId, batchId, status);
    }

    public void members(String tagId, List<String> members) {
        jdbc.batchUpdate(
                "INSERT INTO crowd_tags_detail (tag_id, user_id) VALUES (?, ?)",
                members.stream().map(user -> new Object[] {tagId, user}).toList());
    }

    public int statistics(String tagId) {
        return jdbc.queryForObject("SELECT statistics FROM crowd_tags WHERE tag_id = ?", Integer.class, tagId);
    }

    public int jobStatus(String batchId) {
        return jdbc.queryForObject("SELECT status FROM crowd_tags_job WHERE batch_id = ?", Integer.class, batchId);
    }
}
