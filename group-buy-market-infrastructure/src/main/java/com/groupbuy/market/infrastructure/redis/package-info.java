/** A thin layer over Redisson: key naming and the atomic scripts the domain ports need; no business rule. */
package com.groupbuy.market.infrastructure.redis;
