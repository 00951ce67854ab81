package com.groupbuy.market.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Group commit of settlements ({@code gbm.settlement.group-commit.*}, #19): concurrent settlements' guarded payments
 * and callbacks written in one transaction. On by default since 2026-12-02: the settlement, refund, expiry, late
 * payment and two-instance integration tests passed with it on, and it cut the statements and commits per settlement
 * under load (docs/benchmarks.md); off: each settlement writes alone (one statement, or a transaction for the one
 * that completes its team).
 */
@ConfigurationProperties(prefix = "gbm.settlement.group-commit")
public class SettlementGroupCommitProperties extends GroupCommitProperties {

    public SettlementGroupCommitProperties() {
        super(true);
    }
}
