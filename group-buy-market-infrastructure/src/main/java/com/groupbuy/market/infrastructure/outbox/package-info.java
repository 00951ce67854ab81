/** The outbox context's storage: notify_task and notify_attempt in MariaDB (sending lives in gateway). */
package com.groupbuy.market.infrastructure.outbox;
