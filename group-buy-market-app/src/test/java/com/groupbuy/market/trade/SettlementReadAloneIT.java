package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.repository.SettlementLookupGroup;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link SettlementIT} with settlements' order reads read together off (#19): each settlement reads its order alone on
 * its request thread, as a batch's callers do when their batch read fails. The group read is on by default, so without
 * this class that path would only run as a fallback.
 */
@TestPropertySource(properties = "gbm.settlement.group-lookup.enabled=false")
class SettlementReadAloneIT extends SettlementIT {

    @Autowired
    ObjectProvider<SettlementLookupGroup> lookupGroup;

    @BeforeEach
    void noGroupRead() {
        assertThat(lookupGroup.getIfAvailable())
                .as("the settlements' group read (gbm.settlement.group-lookup.enabled=false)")
                .isNull();
    }
}
