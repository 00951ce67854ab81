package com.groupbuy.market.trade;

import com.groupbuy.market.support.LockGroupCommitOn;

/** {@link PlaceRefusalReconcileIT} again with group commit of locks on: the refused join's look and retry. */
@LockGroupCommitOn
class GroupCommitPlaceRefusalReconcileIT extends PlaceRefusalReconcileIT {}
