/** Entities of the trade context: orders and teams as the use cases see them. */
package com.groupbuy.market.domain.trade.model.entity;
