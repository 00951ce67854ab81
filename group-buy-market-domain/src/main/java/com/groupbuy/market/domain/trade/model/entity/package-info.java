/** Entities of the trade context: orders, teams and notify tasks as the use cases see them. */
package com.groupbuy.market.domain.trade.model.entity;
