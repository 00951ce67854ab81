/** Stable codes partners branch on; nothing here may change an existing code's meaning. */
package com.groupbuy.market.types.enums;
