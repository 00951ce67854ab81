/** Live switches (#17): operational settings every instance obeys, changed at run time by operators and audited. */
package com.groupbuy.market.domain.switches;
