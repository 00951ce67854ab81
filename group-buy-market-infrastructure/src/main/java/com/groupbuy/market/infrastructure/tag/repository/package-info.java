/** Implements the tag context's repository ports over its DAOs. */
package com.groupbuy.market.infrastructure.tag.repository;
