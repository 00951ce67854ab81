package com.groupbuy.market.config;

import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Group commit of settlements ({@code gbm.settlement.group-commit.*}, #19): concurrent settlements' guarded payments
 * and callbacks written in one transaction. On by default since 2026-12-02: the settlement, refund, expiry, late
 * payment and two-instance integration tests passed with it on, and it cut the statements and commits per settlement
 * under load (docs/benchmarks.md); off: each settlement writes alone (one statement, or a transaction for the one
 * that completes its team).
 */
@ConfigurationProperties(prefix = "gbm.settlement.group-commit")
@Validated
@Getter
@Setter
public class SettlementGroupCommitProperties extends GroupCommitProperties {

    /**
     * A batch's payments in two guarded statements for the whole batch, orders then teams, decided by the domain on the
     * rows as locked ({@code BatchPayments}, #19 settlepay): on by default, statements per settlement 3.19-3.36 to
     * 2.18-2.21 (docs/benchmarks.md, settlepay); false: each payment its own guarded statement, team by team, as
     * before. Read once at start-up.
     */
    private boolean payTogether = true;

    public SettlementGroupCommitProperties() {
        super(true);
    }
}
