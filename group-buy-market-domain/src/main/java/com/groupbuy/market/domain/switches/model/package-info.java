/** What a switch is, what its value may be, and one change as the audit keeps it. */
package com.groupbuy.market.domain.switches.model;
