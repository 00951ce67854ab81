/** Adapters that implement the domain ports over MariaDB, Redis and HTTP. */
package com.groupbuy.market.infrastructure;
