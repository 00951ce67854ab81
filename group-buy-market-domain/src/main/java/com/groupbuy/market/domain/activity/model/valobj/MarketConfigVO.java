package com.groupbuy.market.domain.activity.model.valobj;

/**
 * A partner's goods configuration as the tables held it at one instant: the activity {@code sc_sku_activity} maps the
 * source + channel + goods to ({@code mappedActivityId}, null when there is no mapping), that activity's row and its
 * discount's (null when absent), and the goods' row (null when absent). One reading, so a trial never prices with one
 * row as it was and another as it is: an operator changing a goods' list price and its discount together (or an
 * activity's audience and its discount) is answered the old configuration or the new one, never a mix of both.
 */
public record MarketConfigVO(Long mappedActivityId, ActivityVO activity, DiscountVO discount, SkuVO sku) {

    /** No mapping for the partner's goods: nothing else of it is read. */
    public static final MarketConfigVO UNMAPPED = new MarketConfigVO(null, null, null, null);
}
