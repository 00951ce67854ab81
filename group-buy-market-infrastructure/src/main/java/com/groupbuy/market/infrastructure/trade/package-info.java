/**
 * The trade context's adapters: teams, member orders, refunds and consumption records in MariaDB, places and rate
 * limits in Redis.
 */
package com.groupbuy.market.infrastructure.trade;
