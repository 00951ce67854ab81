/** Small constants shared by every module; nothing that needs Spring. */
package com.groupbuy.market.types.common;
