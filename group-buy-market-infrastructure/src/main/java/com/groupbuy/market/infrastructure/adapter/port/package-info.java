/** The domain ports that are not persistence (Redis place reservation), implemented. */
package com.groupbuy.market.infrastructure.adapter.port;
