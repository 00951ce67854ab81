/** Value objects of the outbox: leased tasks, attempt outcomes, targets, the task status machine, summaries. */
package com.groupbuy.market.domain.outbox.model.valobj;
