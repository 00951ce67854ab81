/** Row objects of notify_task and notify_attempt; never leave the infrastructure module. */
package com.groupbuy.market.infrastructure.outbox.po;
