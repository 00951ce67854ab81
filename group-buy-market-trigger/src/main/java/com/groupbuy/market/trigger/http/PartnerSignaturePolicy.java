package com.groupbuy.market.trigger.http;

import java.time.Duration;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Who must sign trade requests and with which secret: {@code requiredFor} holds {@code source:channel} entries or
 * {@code *}; {@code secretOf} gives a pair's secret (null when it has none); {@code seen} remembers signed
 * requests' ids across instances.
 */
public record PartnerSignaturePolicy(Set<String> requiredFor, BiFunction<String, String, String> secretOf,
                                     SeenWebhookIds seen) {

    public static final String ALL = "*";

    public PartnerSignaturePolicy {
        requiredFor = Set.copyOf(requiredFor);
    }

    boolean required(String source, String channel) {
        return requiredFor.contains(ALL) || requiredFor.contains(source + ":" + channel);
    }

    boolean anyRequired() {
        return !requiredFor.isEmpty();
    }

    /** Remembers the {@code webhook-id}s of accepted signed requests, shared by every instance. */
    @FunctionalInterface
    public interface SeenWebhookIds {

        /** True the first time this id is presented for this source + channel within {@code window}; false after. */
        boolean firstUse(String source, String channel, String webhookId, Duration window);
    }
}
