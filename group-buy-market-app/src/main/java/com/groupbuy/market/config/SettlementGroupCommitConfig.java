package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.trade.repository.SettlementBatchWriter;
import com.groupbuy.market.infrastructure.trade.repository.SettlementGroupCommit;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Group commit of settlements (#19), unless {@code gbm.settlement.group-commit.enabled} is false: without this bean
 * the settlement repository writes each settlement alone.
 */
@Configuration
public class SettlementGroupCommitConfig {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(
            prefix = "gbm.settlement.group-commit",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    public SettlementGroupCommit settlementGroupCommit(
            SettlementBatchWriter writer, SettlementGroupCommitProperties properties, MeterRegistry meters) {
        return new SettlementGroupCommit(writer, properties.getMaxBatch(), properties.getMaxWait(), meters);
    }
}
