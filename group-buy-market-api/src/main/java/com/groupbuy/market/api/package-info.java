/** The wire contract partner malls compile against; no Spring and no domain type may appear here. */
package com.groupbuy.market.api;
