/** The task a context asks the outbox to deliver, as it is written. */
package com.groupbuy.market.domain.outbox.model.entity;
