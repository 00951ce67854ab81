/** Aggregates of the trade context: what one use case writes in one transaction. */
package com.groupbuy.market.domain.trade.model.aggregate;
