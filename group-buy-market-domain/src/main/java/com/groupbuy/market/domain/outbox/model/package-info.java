/** The outbox's model: the task as written, as leased, its status machine and the outcomes of attempts. */
package com.groupbuy.market.domain.outbox.model;
