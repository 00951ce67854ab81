/** Text that others chose, made safe to write where operators read it; pure JDK. */
package com.groupbuy.market.types.text;
