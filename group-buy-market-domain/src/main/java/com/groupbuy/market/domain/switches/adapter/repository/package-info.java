/** The switch store and its audit (kept across restarts). */
package com.groupbuy.market.domain.switches.adapter.repository;
