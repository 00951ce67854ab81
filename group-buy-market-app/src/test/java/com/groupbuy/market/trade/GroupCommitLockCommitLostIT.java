package com.groupbuy.market.trade;

import com.groupbuy.market.support.LockGroupCommitOn;

/** {@link LockCommitLost} with group commit of locks on: the lost answer is the batch's commit's. */
@LockGroupCommitOn
class GroupCommitLockCommitLostIT extends LockCommitLost {}
