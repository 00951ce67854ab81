package com.groupbuy.market.trigger.http;

/**
 * A name the caller chose (a query parameter's, a JSON field's) as a refusal shows it: quoted, its printable ASCII
 * only (anything else, quotes and backslashes too, as {@code ?}), at most {@link #MAX_SHOWN} characters, since it is
 * echoed in the answer and the caller may send any bytes at any length.
 */
public final class ShownName {

    static final int MAX_SHOWN = 40;

    private ShownName() {}

    public static String of(String name) {
        String printable = name.chars()
                .map(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return "'" + (printable.length() > MAX_SHOWN ? printable.substring(0, MAX_SHOWN) + "..." : printable) + "'";
    }
}
