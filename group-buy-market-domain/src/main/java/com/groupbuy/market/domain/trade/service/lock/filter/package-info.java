/** The lock rules, one small filter each, run in the order TradeLockService wires them. */
package com.groupbuy.market.domain.trade.service.lock.filter;
