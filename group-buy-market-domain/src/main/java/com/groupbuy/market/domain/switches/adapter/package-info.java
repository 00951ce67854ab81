/** What the switches context needs from outside: where values are kept, how other instances are told. */
package com.groupbuy.market.domain.switches.adapter;
