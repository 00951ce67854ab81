/**
 * Adapters that implement the domain ports, split by context as the domain is (activity, tag, switches, trade,
 * outbox; console for the operators' cross-context reads); gateway, redis, outage, dcc and mybatis are technical and
 * shared.
 */
package com.groupbuy.market.infrastructure;
