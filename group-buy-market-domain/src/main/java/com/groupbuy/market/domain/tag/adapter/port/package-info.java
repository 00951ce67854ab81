/** The membership bitmap port (Redis in infrastructure); interfaces only, no Redisson type. */
package com.groupbuy.market.domain.tag.adapter.port;
