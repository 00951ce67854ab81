package com.groupbuy.market.trade;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link TeamOwnershipIT} with group commit of locks off (#19): the lock written alone refuses another partner's team
 * before its Redis reservation just as the group-committed one does (the filter chain runs ahead of both writes).
 */
@TestPropertySource(properties = "gbm.lock.group-commit.enabled=false")
class TeamOwnershipWrittenAloneIT extends TeamOwnershipIT {

    @Override
    boolean groupCommitExpected() {
        return false;
    }
}
