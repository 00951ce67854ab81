package com.groupbuy.market.trigger.http;

import java.time.Duration;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Who must sign trade requests and with which secret: {@code requiredFor} gives the {@code source:channel} entries
 * or {@code *} in force (a live switch, #17, read on every request); {@code secretOf} gives a pair's secret (null when it has none); {@code seen} remembers signed
 * requests' ids across instances.
 */
public record PartnerSignaturePolicy(
        Supplier<Set<String>> requiredFor, BiFunction<String, String, String> secretOf, SeenWebhookIds seen) {

    public static final String ALL = "*";

    boolean required(String source, String channel) {
        Set<String> required = requiredFor.get();
        return required.contains(ALL) || required.contains(source + ":" + channel);
    }

    boolean anyRequired() {
        return !requiredFor.get().isEmpty();
    }

    /** Remembers the {@code webhook-id}s of accepted signed requests, shared by every instance. */
    @FunctionalInterface
    public interface SeenWebhookIds {

        /** True the first time this id is presented for this source + channel within {@code window}; false after. */
        boolean firstUse(String source, String channel, String webhookId, Duration window);
    }
}
