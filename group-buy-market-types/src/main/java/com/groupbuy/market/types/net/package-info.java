/** Network rules shared by the layers (which callback addresses are acceptable); pure JDK, no framework. */
package com.groupbuy.market.types.net;
