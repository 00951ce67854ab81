package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import org.springframework.test.context.TestPropertySource;

/** {@link JoinStatementCounts} with locks' first reads read together: concurrent joins share their read's statement. */
@IntegrationTest
@TestPropertySource(properties = "gbm.lock.group-lookup.enabled=true")
class JoinStatementCountsIT extends JoinStatementCounts {

    @Override
    long activityId() {
        return 9401;
    }

    @Override
    String flag() {
        return "gbm.lock.group-lookup.enabled=true";
    }

    @Override
    void check(double sequentialSelectsPerJoin, double concurrentSelectsPerJoin, long sharedKeys) {
        assertThat(sharedKeys).as("keys read beside another in a batch").isPositive();
        assertThat(concurrentSelectsPerJoin)
                .as("selects a join, concurrent against sequential")
                .isLessThan(sequentialSelectsPerJoin);
    }
}
