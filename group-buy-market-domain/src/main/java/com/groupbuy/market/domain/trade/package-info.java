/** Bounded context trade: lock, settle, refund, timeout and the callbacks they owe. */
package com.groupbuy.market.domain.trade;
