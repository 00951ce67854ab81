/** The tag context's adapters: crowd tags and their import jobs in MariaDB, the members' bitmaps in Redis. */
package com.groupbuy.market.infrastructure.tag;
