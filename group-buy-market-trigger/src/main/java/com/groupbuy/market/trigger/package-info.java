/** Entry points into the domain: HTTP controllers and scheduled jobs. */
package com.groupbuy.market.trigger;
