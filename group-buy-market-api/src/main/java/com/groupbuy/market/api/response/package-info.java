/** The response envelope shared by every endpoint. */
package com.groupbuy.market.api.response;
