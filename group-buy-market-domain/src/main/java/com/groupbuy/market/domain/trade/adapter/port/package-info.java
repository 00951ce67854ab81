/**
 * Ports to the outside world the trade context needs (place reservation in Redis, rate limits); implemented in
 * infrastructure.
 */
package com.groupbuy.market.domain.trade.adapter.port;
