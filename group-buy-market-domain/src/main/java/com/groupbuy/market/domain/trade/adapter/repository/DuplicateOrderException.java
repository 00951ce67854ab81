package com.groupbuy.market.domain.trade.adapter.repository;

/** A lock lost a race on a unique key: the same out trade number, or the same take of the same user. */
public class DuplicateOrderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Key { OUT_TRADE_NO, TAKE, OTHER }

    private final Key key;

    public DuplicateOrderException(Key key, Throwable cause) {
        super("duplicate " + key, cause);
        this.key = key;
    }

    public Key key() {
        return key;
    }
}
