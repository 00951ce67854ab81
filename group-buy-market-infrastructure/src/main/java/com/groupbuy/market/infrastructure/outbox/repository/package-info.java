/** Implements the outbox's repository ports (write, lease and record, admin, backlog, retention) over its DAOs. */
package com.groupbuy.market.infrastructure.outbox.repository;
