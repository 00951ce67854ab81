/** Ports of the tag context, interfaces only: infrastructure implements them; no MyBatis or Redisson type may appear. */
package com.groupbuy.market.domain.tag.adapter;
