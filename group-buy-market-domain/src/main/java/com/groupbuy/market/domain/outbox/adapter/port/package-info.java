/** Sending a leased task (HTTP or MQ) and handing committed tasks to delivery without waiting for the partner. */
package com.groupbuy.market.domain.outbox.adapter.port;
