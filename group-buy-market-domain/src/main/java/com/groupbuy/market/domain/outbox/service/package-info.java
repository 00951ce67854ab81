/** Delivery of due tasks (lease, send, record), operators' actions, bulk re-drive and retention of delivered tasks. */
package com.groupbuy.market.domain.outbox.service;
