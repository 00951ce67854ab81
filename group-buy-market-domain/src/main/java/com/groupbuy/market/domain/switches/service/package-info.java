/** Reading, changing and reloading the live switches. */
package com.groupbuy.market.domain.switches.service;
