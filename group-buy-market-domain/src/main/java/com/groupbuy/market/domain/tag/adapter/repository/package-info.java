/** Persistence ports of the tag context (tags, jobs, members, the user bit index); interfaces only, no MyBatis type. */
package com.groupbuy.market.domain.tag.adapter.repository;
