/** Outbound HTTP: the OkHttp callback client, its address filter, signing and the after-commit hand-off. */
package com.groupbuy.market.infrastructure.gateway;
