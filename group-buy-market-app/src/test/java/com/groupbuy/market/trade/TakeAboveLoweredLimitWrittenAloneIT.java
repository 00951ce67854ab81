package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.repository.LockGroupCommit;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link TakeAboveLoweredLimitIT} with group commit of locks off: every lock in a transaction of its own, so the
 * limit holds on that write path too.
 */
@TestPropertySource(properties = "gbm.lock.group-commit.enabled=false")
class TakeAboveLoweredLimitWrittenAloneIT extends TakeAboveLoweredLimitIT {

    @Autowired
    ObjectProvider<LockGroupCommit> groupCommit;

    @BeforeEach
    void noGroupCommit() {
        assertThat(groupCommit.getIfAvailable())
                .as("the group commit writer (gbm.lock.group-commit.enabled=false)")
                .isNull();
    }
}
