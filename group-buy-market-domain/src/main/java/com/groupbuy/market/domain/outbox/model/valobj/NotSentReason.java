package com.groupbuy.market.domain.outbox.model.valobj;

/**
 * #17: why a gateway declined to send a callback at all. Either way the task waits without using a try; a caller that
 * can do better for one reason (EndpointQueues starts a send the bulkhead refused again when one of its own ends)
 * reads this, never the result's error text, which is for operators.
 */
public enum NotSentReason {
    /** The endpoint's circuit breaker is open (or half-open with every probe taken): wait for its next probe. */
    BREAKER_OPEN,
    /** The endpoint's bulkhead is full: as many calls to it as allowed are in flight; it is free again soon. */
    BULKHEAD_FULL,
    /**
     * As many deliveries of the task's partner (source + channel) as allowed are in flight, whatever their endpoints:
     * one partner naming many endpoints does not hold every delivery thread. Free again soon.
     */
    PARTNER_FULL,
    /**
     * The broker refuses the partner's own MQ exchange (it exists with another type or durability, or our broker user
     * may not configure it): only this partner's messages have nowhere to go. They wait until the exchange is declared
     * again; every other partner's go on.
     */
    EXCHANGE_REFUSED,
    /**
     * The broker closed the MQ channel for another message published on it (one larger than its
     * {@code max_message_size}) before it took this one: nothing is wrong with this message or the broker. Sent again
     * shortly.
     */
    CHANNEL_CLOSED,
    /**
     * Our own broker blocks our publisher connection (a memory or disk alarm), stopped confirming the page's
     * publishes, or answered so slowly that the page's time ran out before this one went out: the message was not
     * published. The partner has no part in it, so no try of its callback (or close check) is used; it goes out once
     * the broker keeps up again.
     */
    BROKER_BLOCKED,
    /**
     * Our own process could not open the call's socket (out of file descriptors, local ports or socket buffers):
     * nothing left us, so no try is used and nothing counts against the endpoint. Free again once our limit is.
     */
    LOCAL_RESOURCES
}
