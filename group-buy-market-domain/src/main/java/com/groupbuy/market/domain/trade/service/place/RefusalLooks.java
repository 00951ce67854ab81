package com.groupbuy.market.domain.trade.service.place;

import java.util.function.IntConsumer;

/**
 * Whether a join Redis refused while the team row had a place makes {@link TeamPlaceReconciler} look at the team at once
 * ({@code gbm.places.on-refusal}; off, a refused join waits for the sweep), and who is told of each look (metrics). Set
 * once at construction: nothing changes either while the service runs.
 */
public record RefusalLooks(boolean on, IntConsumer counted) {

    /** No look after a refusal: the sweep is the only correction. */
    public static final RefusalLooks OFF = new RefusalLooks(false, n -> {});

    /** A look after each refusal (throttled per team), each one told to {@code counted}. */
    public static RefusalLooks on(IntConsumer counted) {
        return new RefusalLooks(true, counted);
    }
}
