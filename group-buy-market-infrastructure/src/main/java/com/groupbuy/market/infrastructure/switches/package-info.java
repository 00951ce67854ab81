/** The switches context's adapters: live switch values and their change log in MariaDB. */
package com.groupbuy.market.infrastructure.switches;
