package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import org.springframework.test.context.TestPropertySource;

/** {@link JoinStatementCounts} with each lock's first read alone (the count before branch joinlookup). */
@IntegrationTest
@TestPropertySource(properties = "gbm.lock.group-lookup.enabled=false")
class JoinStatementCountsAloneIT extends JoinStatementCounts {

    @Override
    long activityId() {
        return 9402;
    }

    @Override
    String flag() {
        return "gbm.lock.group-lookup.enabled=false";
    }

    @Override
    void check(double sequentialSelectsPerJoin, double concurrentSelectsPerJoin, long sharedKeys) {
        assertThat(sharedKeys).as("no lookups read together").isZero();
        assertThat(concurrentSelectsPerJoin).as("each join reads alone").isGreaterThanOrEqualTo(1.0);
    }
}
