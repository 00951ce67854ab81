/** Telling every running instance that a switch changed. */
package com.groupbuy.market.domain.switches.adapter.port;
