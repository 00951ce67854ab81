package com.groupbuy.market.trigger.http;

import java.time.Duration;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Who must sign trade requests and with which secret: {@code requiredFor} gives the {@code source:channel} entries
 * or {@code *} in force (a live switch, #17, read on every request); {@code secretOf} gives a pair's secret (null when it has none); {@code seen} remembers signed
 * requests' ids across instances; {@code addresses} binds pairs that cannot sign to where they call from (an unsigned
 * request of such a pair from elsewhere is refused as an unsigned one of a pair that must sign).
 */
public record PartnerSignaturePolicy(
        Supplier<Set<String>> requiredFor,
        BiFunction<String, String, String> secretOf,
        SeenWebhookIds seen,
        PartnerAddresses addresses) {

    public static final String ALL = "*";

    boolean required(String source, String channel) {
        return requires(requiredFor.get(), source, channel);
    }

    /**
     * True when these {@code source:channel} entries (or {@code *}) make the pair sign. The joined text names one
     * partner only because every entry holds exactly one ':' (checked in SwitchName, as for the settlement lists).
     */
    public static boolean requires(Set<String> entries, String source, String channel) {
        return entries.contains(ALL) || entries.contains(source + ":" + channel);
    }

    /** True when some request may have to carry a signature: its body is then kept to be hashed. */
    boolean anyRequired() {
        return addresses.any() || !requiredFor.get().isEmpty();
    }

    /** Remembers the {@code webhook-id}s of accepted signed requests, shared by every instance. */
    @FunctionalInterface
    public interface SeenWebhookIds {

        /** True the first time this id is presented for this source + channel within {@code window}; false after. */
        boolean firstUse(String source, String channel, String webhookId, Duration window);
    }
}
