/** HTTP controllers implementing the api interfaces, and the error envelope; they validate and translate, never decide business rules. */
package com.groupbuy.market.trigger.http;
