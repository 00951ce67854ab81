/** What the AMQP 0-9-1 wire can carry, checked before anything is handed to the client library. */
package com.groupbuy.market.types.mq;
