package com.groupbuy.market.domain.trade.model.valobj;

import java.util.Set;

/**
 * Which source + channel pairs may settle: never one on the blacklist; when the allowlist is not empty, only its
 * entries. Entries are written "source:channel". The lists are live switches (#17), read on every call.
 */
@FunctionalInterface
public interface SourceChannelPolicy {

    boolean admits(String source, String channel);

    /** Fixed lists. */
    static SourceChannelPolicy of(Set<String> blacklist, Set<String> allowlist) {
        return (source, channel) -> admits(blacklist, allowlist, source, channel);
    }

    static boolean admits(Set<String> blacklist, Set<String> allowlist, String source, String channel) {
        // One partner only: every entry holds exactly one ':' (SwitchName refuses a second when the list is set or
        // loaded), so a partner whose id holds ':' joins to text no entry is, rather than to another partner's entry.
        String pair = source + ":" + channel;
        return !blacklist.contains(pair) && (allowlist.isEmpty() || allowlist.contains(pair));
    }
}
