package com.groupbuy.market.infrastructure.archfixture;

import org.springframework.jdbc.core.JdbcTemplate;

/** Breaks "database work goes through MyBatis": a write through a JdbcTemplate, lost outside a transaction. */
public class InfrastructureClassWritingWithJdbcTemplate {

    private final JdbcTemplate jdbc;

    public InfrastructureClassWritingWithJdbcTemplate(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void markDone(long id) {
        jdbc.update("UPDATE notify_task SET notify_status = 1 WHERE id = ?", id);
    }
}
