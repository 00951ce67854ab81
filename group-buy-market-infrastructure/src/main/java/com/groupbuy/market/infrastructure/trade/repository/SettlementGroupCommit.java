package com.groupbuy.market.infrastructure.trade.repository;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Group commit of settlements (#19, {@code gbm.settlement.group-commit.*}): concurrent settlements, of any teams,
 * written by one writer thread ({@code settlement-group-commit}, meters {@code gbm.settlement.group.commit.*}) in one
 * transaction per batch ({@link SettlementBatchWriter}). The lock's machinery ({@link GroupCommit}), with the
 * settlement's writer.
 */
public class SettlementGroupCommit extends GroupCommit<SettlementWrite, SettlementOutcome> {

    public SettlementGroupCommit(SettlementBatchWriter writer, int maxBatch, Duration maxWait, MeterRegistry meters) {
        super("settlement", "settlements", writer::write, maxBatch, maxWait, meters);
    }
}
