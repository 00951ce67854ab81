package com.groupbuy.market.config;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.repository.LockBatchWriter;
import com.groupbuy.market.infrastructure.trade.repository.LockGroupCommit;
import com.groupbuy.market.infrastructure.trade.repository.LockLookupGroup;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Group commit of locks (#19), unless {@code gbm.lock.group-commit.enabled} is false: without this bean the trade
 * repository writes each lock in a transaction of its own.
 */
@Configuration
public class LockGroupCommitConfig {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(
            prefix = "gbm.lock.group-commit",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    public LockGroupCommit lockGroupCommit(
            LockBatchWriter writer,
            ITeamPlaceReservation places,
            LockGroupCommitProperties properties,
            MeterRegistry meters) {
        return new LockGroupCommit(
                writer, places, properties.getMaxBatch(), properties.getMaxWait(), properties.getWriters(), meters);
    }

    /**
     * Concurrent locks' first reads in one statement (#19, branch lockcpu; joins too since branch joinlookup), unless {@code
     * gbm.lock.group-lookup.enabled} is false: CPU per opening app 0.42 / MariaDB 0.27 ms against 0.53 / 0.40 with each
     * read alone on the quiet pair of 2026-12-02 21:35 (docs/benchmarks.md). On by default since the race that once
     * answered E0103 was explained and fixed (MariaDB's subquery cache answered one key with another's; {@code
     * LookupSql}, branch lookuprace; docs/design.md); batches of at most the lock writer's {@code max-batch}.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(
            prefix = "gbm.lock.group-lookup",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    public LockLookupGroup lockLookupGroup(
            IGroupBuyOrderListDao orders,
            IGroupBuyOrderDao teams,
            LockGroupCommitProperties properties,
            MeterRegistry meters) {
        return new LockLookupGroup(orders, teams, properties.getMaxBatch(), meters);
    }
}
