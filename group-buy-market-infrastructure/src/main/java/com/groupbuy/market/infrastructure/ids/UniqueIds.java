package com.groupbuy.market.infrastructure.ids;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique ids for rows and messages that are not secrets (webhook ids, fencing tokens, publisher-confirm
 * correlations): 64 random bits drawn once per process (SecureRandom, at class load), then a counter. Two processes
 * share a prefix with probability 2^-64, and one process never repeats a counter value. {@code UUID.randomUUID()}
 * draws from the JDK's SecureRandom on every call, behind one lock all request threads share; these ids are made on
 * every lock (its close checks' webhook ids) and every completing settlement. Never use them where guessing one
 * would matter (sessions, tokens, keys).
 */
public final class UniqueIds {

    private static final String PREFIX = prefix();
    private static final AtomicLong COUNTER = new AtomicLong();

    private UniqueIds() {}

    /** 32 lowercase hex digits: the prefix, then the counter (a UUID's length without its dashes). */
    public static String hex32() {
        return PREFIX + HexFormat.of().toHexDigits(COUNTER.incrementAndGet());
    }

    private static String prefix() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
