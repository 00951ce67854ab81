/** Implements the switches context's repository port over its DAO. */
package com.groupbuy.market.infrastructure.switches.repository;
