/** The audit port over MyBatis: the admission row, its outcome by id, the list and the aging-out. */
package com.groupbuy.market.infrastructure.audit.repository;
