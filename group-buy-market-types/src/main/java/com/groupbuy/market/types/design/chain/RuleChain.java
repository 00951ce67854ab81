package com.groupbuy.market.types.design.chain;

import java.util.List;

/**
 * An ordered, immutable list of filters run one after another; the first filter that refuses stops the rest.
 * Built once at start-up, so the order a reader sees in the wiring is the order the rules run in.
 */
public final class RuleChain<T, C> {

    private final List<RuleFilter<T, C>> filters;

    private RuleChain(List<RuleFilter<T, C>> filters) {
        this.filters = List.copyOf(filters);
    }

    @SafeVarargs
    public static <T, C> RuleChain<T, C> of(RuleFilter<T, C>... filters) {
        return new RuleChain<>(List.of(filters));
    }

    public static <T, C> RuleChain<T, C> of(List<? extends RuleFilter<T, C>> filters) {
        return new RuleChain<>(List.copyOf(filters));
    }

    public C apply(T request, C context) {
        for (RuleFilter<T, C> filter : filters) {
            filter.apply(request, context);
        }
        return context;
    }

    public int size() {
        return filters.size();
    }
}
