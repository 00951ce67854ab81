/** Spring configuration of the running service: clients, executors, pools; no business rule. */
package com.groupbuy.market.config;
