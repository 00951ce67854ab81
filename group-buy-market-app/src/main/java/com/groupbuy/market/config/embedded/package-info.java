/**
 * The embedded MariaDB, Redis and AMQP broker (Qpid) of the default profile, for a machine with only Java; never used
 * by dev, test or prod.
 */
package com.groupbuy.market.config.embedded;
