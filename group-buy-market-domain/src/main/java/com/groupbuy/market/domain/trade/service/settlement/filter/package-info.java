/** The settlement rules, one small filter each, wired in order by TradeSettlementService. */
package com.groupbuy.market.domain.trade.service.settlement.filter;
