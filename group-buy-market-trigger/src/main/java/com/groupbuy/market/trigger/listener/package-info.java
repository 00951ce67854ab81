/** Our own broker consumers: deliveries handed to the domain, acknowledged only once their outcome is recorded. */
package com.groupbuy.market.trigger.listener;
