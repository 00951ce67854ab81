/** Implements the activity context's repository ports over its DAO. */
package com.groupbuy.market.infrastructure.activity.repository;
