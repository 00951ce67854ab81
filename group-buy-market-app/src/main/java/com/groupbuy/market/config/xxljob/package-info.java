/** The XXL-Job executor as we run it: BEAN handlers only, bound to its configured address, watched registration. */
package com.groupbuy.market.config.xxljob;
