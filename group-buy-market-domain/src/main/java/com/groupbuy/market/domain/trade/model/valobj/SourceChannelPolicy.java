package com.groupbuy.market.domain.trade.model.valobj;

import java.util.Set;

/**
 * Which source + channel pairs may settle: never one on the blacklist; when the allowlist is not empty, only its
 * entries. Entries are written "source:channel".
 */
public record SourceChannelPolicy(Set<String> blacklist, Set<String> allowlist) {

    public boolean admits(String source, String channel) {
        String pair = source + ":" + channel;
        return !blacklist.contains(pair) && (allowlist.isEmpty() || allowlist.contains(pair));
    }
}
