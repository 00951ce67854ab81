/** Dynamic configuration: operational switches the domain reads through its ports. */
package com.groupbuy.market.infrastructure.dcc;
