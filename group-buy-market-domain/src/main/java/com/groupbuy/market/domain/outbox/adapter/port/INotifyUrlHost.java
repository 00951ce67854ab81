package com.groupbuy.market.domain.outbox.adapter.port;

/**
 * The host a callback to a URL goes to, as the delivery client reads the URL: what "deliver now" for a host compares.
 * Another parser's reading is not enough: {@code java.net.URI} keeps an IPv6 literal as written, while the delivery
 * client calls {@code [::ffff:10.0.0.5]} at 10.0.0.5 and {@code [0:0:0:0:0:0:0:1]} at ::1, so an operator's
 * deliver-now for the host the callbacks really went to missed them.
 */
@FunctionalInterface
public interface INotifyUrlHost {

    /** The host (lower case, an IPv6 address without brackets) a callback to {@code url} is sent to; null for none. */
    String hostOf(String url);
}
