/** MyBatis plumbing shared by every context's mappers: the UTC Instant type handler. */
package com.groupbuy.market.infrastructure.mybatis;
