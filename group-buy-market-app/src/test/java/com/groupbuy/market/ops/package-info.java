/** Operational safety: the executor, its console, tokens, actuator exposure, operator controls. */
package com.groupbuy.market.ops;
