package com.groupbuy.market.trade;

import org.springframework.test.context.TestPropertySource;

/** {@link LockCommitLost} with group commit of locks off: the lost answer is the lone lock's own commit's. */
@TestPropertySource(properties = "gbm.lock.group-commit.enabled=false")
class LoneLockCommitLostIT extends LockCommitLost {}
