package com.groupbuy.market.types.net;

import com.groupbuy.market.types.partner.Partner;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The hosts each bound partner's callbacks may go to ({@code gbm.notify.callback-hosts.[source].[channel]}). A
 * callback body names no partner ({@code {teamId, outTradeNoList}}, the original contract), so a partner that named
 * another mall's callback URL in its locks had us post that mall its own team's trade numbers (which it chooses, and
 * which may equal the mall's own), and a mall that does not verify {@code webhook-signature} (or has no secret, so
 * gets unsigned callbacks) took them for its own. A bound partner's new lock must name one of its hosts; a host bound
 * to a partner is refused to every partner it is not bound to. Hosts compare as the URL writes them, case and one
 * trailing dot aside (another spelling of a bound partner's address, such as an IP literal, is not recognised: bind
 * every partner for a closed list). Pairs not listed, naming hosts nobody bound, are unchanged.
 */
public final class PartnerCallbackHosts {

    static final String NOT_ITS_HOST =
            "notifyUrl host is not one of this partner's callback hosts (gbm.notify.callback-hosts)";
    static final String ANOTHERS_HOST = "notifyUrl host is another partner's callback host (gbm.notify.callback-hosts)";

    private final Map<Partner, Set<String>> hostsOf;
    private final Map<String, Set<Partner>> partnersOf;

    private PartnerCallbackHosts(Map<Partner, Set<String>> hostsOf) {
        this.hostsOf = hostsOf;
        Map<String, Set<Partner>> partners = new HashMap<>();
        hostsOf.forEach((partner, hosts) -> hosts.forEach(
                host -> partners.computeIfAbsent(host, h -> new HashSet<>()).add(partner)));
        this.partnersOf = partners;
    }

    /**
     * The setting as bound (source, then channel, then its hosts); IllegalArgumentException, naming the key, for a pair
     * with no host or an entry that is not a bare host (a scheme, port, path, user or anything a URL's host cannot be).
     */
    public static PartnerCallbackHosts parse(Map<String, Map<String, List<String>>> setting) {
        Map<Partner, Set<String>> hostsOf = new HashMap<>();
        setting.forEach((source, byChannel) -> byChannel.forEach((channel, entries) -> {
            String key = "gbm.notify.callback-hosts.[" + source + "].[" + channel + "]";
            Set<String> hosts = new HashSet<>();
            for (String entry : entries == null ? List.<String>of() : entries) {
                String host = entry == null ? "" : entry.trim();
                if (host.isEmpty()) {
                    continue;
                }
                if (!isBareHost(host)) {
                    throw new IllegalArgumentException(
                            key + ": '" + host + "' is not a host (no scheme, port or path)");
                }
                hosts.add(canonical(host));
            }
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException(key + " lists no host");
            }
            hostsOf.put(new Partner(source, channel), Set.copyOf(hosts));
        }));
        return new PartnerCallbackHosts(Map.copyOf(hostsOf));
    }

    /**
     * Null when the partner may name {@code host} (as {@link NotifyUrlPolicy#hostOf} reads a URL) in a new lock, else
     * the E0204 text: not one of its hosts when it is bound, another partner's when the host is bound to others only.
     */
    public String refusal(String host, String source, String channel) {
        if (hostsOf.isEmpty() || host == null) {
            return null;
        }
        String canonical = canonical(host);
        Partner partner = Partner.named(source, channel);
        Set<String> own = partner == null ? null : hostsOf.get(partner);
        if (own != null) {
            return own.contains(canonical) ? null : NOT_ITS_HOST;
        }
        return partnersOf.containsKey(canonical) ? ANOTHERS_HOST : null;
    }

    /** Whether any partner is bound. */
    public boolean isEmpty() {
        return hostsOf.isEmpty();
    }

    private static boolean isBareHost(String host) {
        try {
            String url = "http://" + host + "/";
            return NotifyUrlPolicy.hostOf(url) != null
                    && canonical(NotifyUrlPolicy.hostOf(url)).equals(canonical(host));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Lower case, one trailing dot dropped: {@code Mall.Example.} is {@code mall.example}. */
    private static String canonical(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
