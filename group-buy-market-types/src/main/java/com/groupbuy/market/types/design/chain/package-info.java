/** The rule-chain framework (filters that pass or stop with a code); no business rule lives here. */
package com.groupbuy.market.types.design.chain;
