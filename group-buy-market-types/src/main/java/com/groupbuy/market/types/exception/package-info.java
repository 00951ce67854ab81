/** Exceptions that carry a response code; no framework types. */
package com.groupbuy.market.types.exception;
