package com.groupbuy.market.types.design.chain;

/**
 * One link of a rule chain: inspects the request, may enrich the shared context, and either passes
 * (returns normally) or stops the chain by throwing an {@link com.groupbuy.market.types.exception.AppException}.
 */
@FunctionalInterface
public interface RuleFilter<T, C> {

    void apply(T request, C context);
}
