/**
 * Implements the trade context's repository ports over its DAOs; the tasks a change owes go through the outbox's port
 * in the same transaction.
 */
package com.groupbuy.market.infrastructure.trade.repository;
