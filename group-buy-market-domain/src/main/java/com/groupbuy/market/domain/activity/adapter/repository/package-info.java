/** Persistence ports of the activity context (cached configuration reads); implemented in infrastructure. */
package com.groupbuy.market.domain.activity.adapter.repository;
