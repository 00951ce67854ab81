/** MyBatis plumbing shared by every context's mappers: the UTC Instant type handler, batched inserts. */
package com.groupbuy.market.infrastructure.mybatis;
