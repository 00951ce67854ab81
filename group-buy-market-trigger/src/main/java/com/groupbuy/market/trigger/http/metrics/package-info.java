/** Request metrics of the partner endpoints (rates and latencies by operation and business code). */
package com.groupbuy.market.trigger.http.metrics;
