package com.groupbuy.market.infrastructure.gateway;

import java.security.Security;
import java.time.Duration;

/**
 * How long the JDK answers a name whose lookup failed from its negative cache without asking again, as it reads it:
 * the security property {@code networkaddress.cache.negative.ttl}, else the system property
 * {@code sun.net.inetaddr.negative.ttl}, else 10 s. "Forever" (a negative value) is taken as {@link #LONGEST}.
 */
final class JdkNegativeCache {

    static final Duration DEFAULT = Duration.ofSeconds(10);
    static final Duration LONGEST = Duration.ofMinutes(1);

    private JdkNegativeCache() {}

    static Duration ttl() {
        String value = Security.getProperty("networkaddress.cache.negative.ttl");
        if (value == null) {
            value = System.getProperty("sun.net.inetaddr.negative.ttl");
        }
        return parse(value);
    }

    static Duration parse(String value) {
        if (value == null) {
            return DEFAULT;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? LONGEST : Duration.ofSeconds(Math.min(seconds, LONGEST.toSeconds()));
        } catch (NumberFormatException e) {
            return DEFAULT;
        }
    }
}
