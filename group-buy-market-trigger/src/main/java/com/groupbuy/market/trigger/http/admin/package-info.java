/** Operator endpoints (token-protected); they call domain services and hold no rule of their own. */
package com.groupbuy.market.trigger.http.admin;
