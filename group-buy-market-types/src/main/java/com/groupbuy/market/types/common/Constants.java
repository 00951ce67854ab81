package com.groupbuy.market.types.common;

/** Literals shared across layers, kept here so the wire and the database agree on them. */
public final class Constants {

    /** The plain-text acknowledgement a partner answers to a callback. */
    public static final String NOTIFY_ACK = "success";

    private Constants() {}
}
