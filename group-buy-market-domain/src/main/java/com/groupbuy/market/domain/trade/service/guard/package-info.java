/** Request guards ahead of the trade use cases (#17): rate limits per partner and per user. */
package com.groupbuy.market.domain.trade.service.guard;
