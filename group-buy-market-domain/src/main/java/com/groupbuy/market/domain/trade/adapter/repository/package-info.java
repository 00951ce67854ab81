/** Persistence ports of the trade context; implemented in infrastructure over MyBatis and Redis. */
package com.groupbuy.market.domain.trade.adapter.repository;
