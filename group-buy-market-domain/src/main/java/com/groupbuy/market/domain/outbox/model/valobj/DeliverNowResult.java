package com.groupbuy.market.domain.outbox.model.valobj;

/**
 * What "deliver now" did: how many waiting callbacks it made due at once (the next run sends them).
 *
 * @param filter the filter, as the operator gave it
 * @param moved  RETRY tasks moved to due now (already due or in flight ones are not counted)
 */
public record DeliverNowResult(String filter, long moved) {}
