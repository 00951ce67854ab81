/** Request and callback signing shared by both directions of the partner link; no key storage lives here. */
package com.groupbuy.market.types.security;
