/** Row objects of the trade tables; never leave the infrastructure module. */
package com.groupbuy.market.infrastructure.trade.po;
