/** The domain repositories implemented over the DAOs and caches. */
package com.groupbuy.market.infrastructure.adapter.repository;
