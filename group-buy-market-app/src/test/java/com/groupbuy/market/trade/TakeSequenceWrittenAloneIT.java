package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.repository.LockGroupCommit;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link TakeSequenceIT} with group commit of locks off: every lock in a transaction of its own, so the free take is
 * found on that write path too (a group-commit batch that hits the biz id guard also falls back to it).
 */
@TestPropertySource(properties = "gbm.lock.group-commit.enabled=false")
class TakeSequenceWrittenAloneIT extends TakeSequenceIT {

    @Autowired
    ObjectProvider<LockGroupCommit> groupCommit;

    @BeforeEach
    void noGroupCommit() {
        assertThat(groupCommit.getIfAvailable())
                .as("the group commit writer (gbm.lock.group-commit.enabled=false)")
                .isNull();
    }
}
