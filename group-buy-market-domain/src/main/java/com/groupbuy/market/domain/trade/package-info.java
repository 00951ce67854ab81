/** Bounded context trade: lock, settle, refund, timeout; the callbacks they owe are written to the outbox context. */
package com.groupbuy.market.domain.trade;
