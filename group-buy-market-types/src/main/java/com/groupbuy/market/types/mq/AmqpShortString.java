package com.groupbuy.market.types.mq;

import java.nio.charset.StandardCharsets;

/**
 * An AMQP 0-9-1 short string: exchange and queue names, routing keys, a message's id and content type, the names in
 * its header table. At most 255 bytes of UTF-8 — bytes, not characters, so 86 CJK characters are already too long.
 * <p>
 * Why it is checked before a publish: the RabbitMQ client refuses a longer one only while it writes the frame, after
 * it has counted the publish for publisher confirms. The broker never sees it, so the confirm that publish waits for
 * never comes, and Spring keeps the channel out of its cache until it does: every such publish leaks a channel of the
 * publisher connection, and at the broker's channel limit (2047) nothing can be published on it any more — no
 * partner callback, no close check, no dead-letter copy — until the process restarts. A name received from the broker
 * is no proof either: the client decodes bytes that are not UTF-8 to U+FFFD, three bytes each when written again.
 */
public final class AmqpShortString {

    /** The most bytes a short string holds on the wire. */
    public static final int MAX_BYTES = 255;

    private AmqpShortString() {}

    /** Whether {@code text} goes on the wire as a short string (null does: the field is left out). */
    public static boolean fits(String text) {
        return text == null || utf8Length(text) <= MAX_BYTES;
    }

    /** The text's length in UTF-8 bytes, as the client writes it (an unpaired surrogate as one byte, {@code ?}). */
    public static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
