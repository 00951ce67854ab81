/**
 * The outbox table's ports, one per role: writing a task in the caller's transaction, leasing and recording (the
 * delivery loop), operators' reads and single-task actions, bulk re-drive, backlog figures, retention.
 */
package com.groupbuy.market.domain.outbox.adapter.repository;
