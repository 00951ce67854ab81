/** Non-persistence ports of the activity context (operational switches); implemented in infrastructure. */
package com.groupbuy.market.domain.activity.adapter.port;
