/**
 * MyBatis plumbing shared by every context's mappers: the UTC Instant type handler, batched inserts, and writing again a
 * transaction InnoDB chose as a deadlock's victim.
 */
package com.groupbuy.market.infrastructure.mybatis;
