/** The domain model and its use cases, one package per bounded context; never MyBatis, Redisson or OkHttp. */
package com.groupbuy.market.domain;
