/** Implements the admin read ports of every context, and the outbox's bulk re-drive, over the console's mapper. */
package com.groupbuy.market.infrastructure.console.repository;
