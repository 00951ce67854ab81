package com.groupbuy.market.types.partner;

import java.util.Objects;

/**
 * A partner: its source and its channel, kept apart and compared exactly (case and trailing spaces count). Never
 * joined into one text as a key: ids may hold ':' or '/', and joined, {@code a:b} / {@code c} and {@code a} /
 * {@code b:c} are one text (one partner took the other's addresses, secret or cap). {@link #toString()} writes it
 * {@code source/channel} with a '%' or '/' inside an id written {@code %25} / {@code %2F}, so no two partners read
 * the same.
 *
 * @param source the partner's source, not null or empty
 * @param channel the partner's channel, not null or empty
 */
public record Partner(String source, String channel) {

    public Partner {
        requireId("source", source);
        requireId("channel", channel);
    }

    /**
     * The partner these ids name, or null when either is missing or empty: for a lookup of what a caller or a stored row
     * names, where no partner was ever kept under such ids.
     */
    public static Partner named(String source, String channel) {
        return isId(source) && isId(channel) ? new Partner(source, channel) : null;
    }

    private static boolean isId(String id) {
        return id != null && !id.isEmpty();
    }

    private static void requireId(String name, String id) {
        Objects.requireNonNull(id, () -> "a partner's " + name + " is required");
        if (!isId(id)) {
            throw new IllegalArgumentException("a partner's " + name + " is empty");
        }
    }

    /** {@code source/channel}, each id with '%' and '/' escaped: one text per partner, and plain for plain ids. */
    @Override
    public String toString() {
        return escaped(source) + "/" + escaped(channel);
    }

    private static String escaped(String id) {
        return id.replace("%", "%25").replace("/", "%2F");
    }
}
