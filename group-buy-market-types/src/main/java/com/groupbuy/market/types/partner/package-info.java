/** A partner mall as every module names it: its source and channel, kept apart and compared exactly; pure JDK. */
package com.groupbuy.market.types.partner;
