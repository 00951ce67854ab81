/** Ports to the outside world the trade context needs (delivery, clocks); implemented in infrastructure. */
package com.groupbuy.market.domain.trade.adapter.port;
