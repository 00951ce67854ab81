package com.groupbuy.market.domain.trade.adapter.port;

/**
 * The lock-time check of a notifyUrl host a partner names for its team's callbacks: its addresses looked up now (a
 * network lookup, bounded), refused when they are not public or do not come in time. Null when the host may be
 * called back, else the text of an {@code E0204}.
 */
@FunctionalInterface
public interface INotifyHostCheck {

    String refusal(String host, String source, String channel);
}
