package com.groupbuy.market.domain.trade.model.valobj;

/**
 * One delivery attempt as the partner answered it. {@code httpStatus} is null when no HTTP answer came (refused,
 * timeout, TLS, refused address); delivered means HTTP 2xx and the acknowledgement body.
 */
public record DeliveryResult(boolean delivered, Integer httpStatus, long latencyMs, String error) {
}
