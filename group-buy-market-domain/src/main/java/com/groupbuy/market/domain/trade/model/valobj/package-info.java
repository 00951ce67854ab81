/** Value objects of the trade context: read views of teams and their statistics. */
package com.groupbuy.market.domain.trade.model.valobj;
