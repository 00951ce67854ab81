/** Failing fast while Redis or the database is down: a small circuit breaker per dependency. */
package com.groupbuy.market.infrastructure.outage;
