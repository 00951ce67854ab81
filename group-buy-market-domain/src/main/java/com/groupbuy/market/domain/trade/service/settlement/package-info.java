/** The settlement use case: a paid order counts on its team; a completed team owes its partners a callback. */
package com.groupbuy.market.domain.trade.service.settlement;
