/** Circuit breaker and bulkhead per callback endpoint (#17): a hanging partner costs the others nothing. */
package com.groupbuy.market.infrastructure.gateway.guard;
