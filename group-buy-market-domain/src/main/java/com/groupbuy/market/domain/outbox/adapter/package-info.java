/** Ports of the outbox context; implemented in infrastructure (MyBatis for the table, HTTP and AMQP for sending). */
package com.groupbuy.market.domain.outbox.adapter;
