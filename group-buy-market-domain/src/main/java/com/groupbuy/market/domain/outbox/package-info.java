/**
 * Bounded context outbox: the callbacks and messages other contexts owe (the notify_task rows and their attempts),
 * delivered at least once by a lease, send and record loop. Trade writes rows through
 * {@link com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository} inside its own transactions;
 * the outbox knows nothing of trade.
 */
package com.groupbuy.market.domain.outbox;
