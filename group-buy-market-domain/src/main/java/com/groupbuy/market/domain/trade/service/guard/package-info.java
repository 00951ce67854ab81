/** Request guards the trade use cases ask first (#17): rate limits per partner and per user. */
package com.groupbuy.market.domain.trade.service.guard;
