package com.groupbuy.market.trade;

import com.groupbuy.market.support.LockGroupCommitOn;

/** {@link LockIdCollisionIT} again with group commit of locks on (#19): concurrent locks share one transaction. */
@LockGroupCommitOn
class GroupCommitLockIdCollisionIT extends LockIdCollisionIT {}
