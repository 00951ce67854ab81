/** Broker listeners: the demo listener of the notify exchange and our own consumers, which acknowledge a delivery only once its outcome is recorded. */
package com.groupbuy.market.trigger.listener;
