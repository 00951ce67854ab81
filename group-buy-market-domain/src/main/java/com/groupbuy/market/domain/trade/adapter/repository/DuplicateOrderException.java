package com.groupbuy.market.domain.trade.adapter.repository;

/**
 * A lock hit a unique key: the same out trade number, the same take of the same user, or a team or order id we drew
 * at random that another row already has.
 */
public class DuplicateOrderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Key {
        OUT_TRADE_NO,
        TAKE,
        GENERATED_ID,
        OTHER
    }

    private final Key key;

    public DuplicateOrderException(Key key, Throwable cause) {
        super("duplicate " + key, cause);
        this.key = key;
    }

    public Key key() {
        return key;
    }
}
