/** Dependency outages: bounded waits, breakers, and the E0401 / HTTP 503 answer. */
package com.groupbuy.market.config.outage;
