/** Request and response bodies of the public endpoints; field names and types are a contract with partners. */
package com.groupbuy.market.api.dto;
