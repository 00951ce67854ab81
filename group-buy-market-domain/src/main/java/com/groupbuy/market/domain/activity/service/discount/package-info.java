/** Discount arithmetic: pure functions from a plan, its expression and a price to the pay price; no I/O. */
package com.groupbuy.market.domain.activity.service.discount;
