/** The AMQP notify channel: the exchange we publish to, and the adapter that publishes a task with confirms and returns. */
package com.groupbuy.market.infrastructure.gateway.mq;
