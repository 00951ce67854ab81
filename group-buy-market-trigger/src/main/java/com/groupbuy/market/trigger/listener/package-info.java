/** Broker listeners: consumers of the notify exchange. */
package com.groupbuy.market.trigger.listener;
