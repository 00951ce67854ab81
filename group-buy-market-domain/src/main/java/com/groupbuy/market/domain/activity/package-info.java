/** Bounded context activity: group-buy activities, discounts, trial price and audience; it never writes trade rows. */
package com.groupbuy.market.domain.activity;
