package com.groupbuy.market.domain.outbox.model.valobj;

import java.util.Locale;

/**
 * Which waiting callbacks (RETRY tasks) an operator wants delivered now: those of one partner host, of one
 * source + channel, or all of them. Exactly one kind is set.
 *
 * @param host    the host of the task's notify URL (case-insensitive; IPv6 with or without brackets), or null
 * @param source  with {@code channel}, the partner's source, or null
 * @param channel with {@code source}, the partner's channel, or null
 */
public record RetryFilter(String host, String source, String channel) {

    public static RetryFilter all() {
        return new RetryFilter(null, null, null);
    }

    public static RetryFilter host(String host) {
        return new RetryFilter(normalizeHost(host), null, null);
    }

    public static RetryFilter sourceChannel(String source, String channel) {
        return new RetryFilter(null, source, channel);
    }

    public boolean isAll() {
        return host == null && source == null;
    }

    public String describe() {
        if (host != null) {
            return "host=" + host;
        }
        return source != null ? "source=" + source + ",channel=" + channel : "all";
    }

    private static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
