package com.groupbuy.market.config;

import java.util.Set;

/**
 * Which source + channel pairs may settle ({@code gbm.settlement.blacklist} / {@code .allowlist}, entries
 * "source:channel"; an empty allowlist admits every pair not blacklisted): since #17 the configured defaults of the
 * live switches {@code settlementBlacklist} / {@code settlementAllowlist}, see {@link LiveSwitchConfig}.
 */
public final class SettlementConfig {

    private SettlementConfig() {}

    /** "source:channel" entries as configured, blanks and surrounding spaces dropped. */
    static Set<String> clean(Set<String> entries) {
        return Set.copyOf(
                entries.stream().map(String::trim).filter(e -> !e.isEmpty()).toList());
    }
}
