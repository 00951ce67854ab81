/** Bounded context tag: crowd tags, their member import and the membership check; it never reads activities or trades. */
package com.groupbuy.market.domain.tag;
