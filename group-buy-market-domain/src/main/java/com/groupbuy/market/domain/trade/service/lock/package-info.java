/** The lock use case: reserve a place in a team for a buyer, idempotent on the out trade number. */
package com.groupbuy.market.domain.trade.service.lock;
