/** Refund: a buyer leaves a team, with the effect its order's and team's state call for; no scheduling lives here. */
package com.groupbuy.market.domain.trade.service.refund;
