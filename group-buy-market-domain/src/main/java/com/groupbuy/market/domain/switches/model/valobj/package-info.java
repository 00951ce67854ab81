/** Switch names with their value rules, the current set, and audit rows. */
package com.groupbuy.market.domain.switches.model.valobj;
