/** Team views for the trial page: read-only, never changes a team. */
package com.groupbuy.market.domain.trade.service.team;
