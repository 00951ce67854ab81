/** The trade context's ports that are not persistence (Redis place reservation, rate limits), implemented. */
package com.groupbuy.market.infrastructure.trade.port;
