package com.groupbuy.market.trade;

import com.groupbuy.market.support.LockGroupCommitOn;

/** {@link LockIT} again with group commit of locks on (#19): concurrent locks share one transaction. */
@LockGroupCommitOn
class GroupCommitLockIT extends LockIT {}
