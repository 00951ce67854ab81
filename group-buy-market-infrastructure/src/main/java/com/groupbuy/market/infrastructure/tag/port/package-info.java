/** The tag context's Redis bitmap port, implemented. */
package com.groupbuy.market.infrastructure.tag.port;
