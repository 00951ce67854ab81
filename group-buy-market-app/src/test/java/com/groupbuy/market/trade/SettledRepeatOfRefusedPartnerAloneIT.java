package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.repository.SettlementGroupCommit;
import com.groupbuy.market.infrastructure.trade.repository.SettlementLookupGroup;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link SettledRepeatOfRefusedPartnerIT} with settlements' order reads and writes each alone (group lookup and group
 * commit off): a settled order's repeat is answered the same whichever path read and wrote it.
 */
@TestPropertySource(
        properties = {"gbm.settlement.group-lookup.enabled=false", "gbm.settlement.group-commit.enabled=false"})
class SettledRepeatOfRefusedPartnerAloneIT extends SettledRepeatOfRefusedPartnerIT {

    @Autowired
    ObjectProvider<SettlementLookupGroup> lookupGroup;

    @Autowired
    ObjectProvider<SettlementGroupCommit> groupCommit;

    @BeforeEach
    void eachAlone() {
        assertThat(lookupGroup.getIfAvailable())
                .as("the settlements' group read")
                .isNull();
        assertThat(groupCommit.getIfAvailable())
                .as("the settlements' group commit")
                .isNull();
    }
}
