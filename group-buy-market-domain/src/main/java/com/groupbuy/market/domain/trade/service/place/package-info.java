/** Keeps the Redis place counters of open teams equal to what the database says they hold. */
package com.groupbuy.market.domain.trade.service.place;
