package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Duration;
import java.util.Map;

/**
 * How long after an unpaid lock's timeout we still wait for the partner's settlement before closing it, per source +
 * channel (#15, the payment-side check of seed 004): a mall whose payment notices arrive late gets a longer grace, so
 * a buyer who paid at the last second is not closed and then refused as a late payment. Unnamed partners get the
 * default (zero: close at the timeout, as before).
 */
public final class PaymentGrace {

    private final Duration defaultGrace;
    private final Map<String, Map<String, Duration>> bySourceChannel;
    private final Duration shortest;
    private final Duration longest;

    public PaymentGrace(Duration defaultGrace, Map<String, Map<String, Duration>> bySourceChannel) {
        if (defaultGrace == null || defaultGrace.isNegative()) {
            throw new IllegalArgumentException("the default payment grace must be zero or positive");
        }
        Duration min = defaultGrace;
        Duration max = defaultGrace;
        for (Map<String, Duration> byChannel : bySourceChannel.values()) {
            for (Duration grace : byChannel.values()) {
                if (grace == null || grace.isNegative()) {
                    throw new IllegalArgumentException("a payment grace must be zero or positive");
                }
                min = grace.compareTo(min) < 0 ? grace : min;
                max = grace.compareTo(max) > 0 ? grace : max;
            }
        }
        this.defaultGrace = defaultGrace;
        this.bySourceChannel = Map.copyOf(bySourceChannel);
        this.shortest = min;
        this.longest = max;
    }

    public static PaymentGrace none() {
        return new PaymentGrace(Duration.ZERO, Map.of());
    }

    /** The grace of this partner (ids compare exactly), else the default. */
    public Duration of(String source, String channel) {
        Map<String, Duration> byChannel = bySourceChannel.get(source);
        Duration grace = byChannel == null ? null : byChannel.get(channel);
        return grace == null ? defaultGrace : grace;
    }

    /** The shortest grace of any partner: the polling job reads candidates with it, then checks each order's own. */
    public Duration shortest() {
        return shortest;
    }

    /** The longest grace of any partner: a lock older than its timeout plus this is overdue whoever its partner is. */
    public Duration longest() {
        return longest;
    }
}
