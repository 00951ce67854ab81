package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.repository.LockGroupCommit;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link LockIT} with group commit of locks off (#19): every lock in a transaction of its own, as before group commit
 * and as a batch's locks are written when their batch rolls back. Group commit is on by default, so without this
 * class that path would only run as a fallback. New team, join, a retried lock answering its first order, a team the
 * guarded write finds full ({@code E0005}), the race for a small team's last places (never above target, Redis = the
 * database), and the rest of {@link LockIT}.
 */
@TestPropertySource(properties = "gbm.lock.group-commit.enabled=false")
class LockWrittenAloneIT extends LockIT {

    @Autowired
    ObjectProvider<LockGroupCommit> groupCommit;

    @BeforeEach
    void noGroupCommit() {
        assertThat(groupCommit.getIfAvailable())
                .as("the group commit writer (gbm.lock.group-commit.enabled=false)")
                .isNull();
    }
}
