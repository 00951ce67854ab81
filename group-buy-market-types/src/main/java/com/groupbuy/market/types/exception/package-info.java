/** Exceptions that carry a response code, and the walk along a failure's causes; no framework types. */
package com.groupbuy.market.types.exception;
