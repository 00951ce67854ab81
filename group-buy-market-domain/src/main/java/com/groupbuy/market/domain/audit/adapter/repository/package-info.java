/** The audit's persistence port: admitted admin actions written before they run, their outcome filled after. */
package com.groupbuy.market.domain.audit.adapter.repository;
