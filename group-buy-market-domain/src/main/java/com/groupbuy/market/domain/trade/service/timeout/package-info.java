/** The timeout job's rules: which unpaid locks and open teams have run out of time; it refunds through refund. */
package com.groupbuy.market.domain.trade.service.timeout;
