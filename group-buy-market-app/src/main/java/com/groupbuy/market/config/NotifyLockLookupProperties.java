package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The lock-time lookup of a partner's notifyUrl host ({@code gbm.notify.lock-lookup.*}; {@code NotifyHostLookup},
 * docs/operations.md). Bounds are checked at start-up ({@link NotifyUrlPolicyConfig}).
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.notify.lock-lookup")
public class NotifyLockLookupProperties {

    /** How long a lock waits for its host's lookup before it is refused (E0204, did not resolve in time). */
    private Duration timeout = Duration.ofSeconds(1);
    /** Lookups running at once (resolver threads); with none free a host not seen recently is refused (busy). */
    private int threads = 8;
    /**
     * Lookups one partner (source + channel) may have running at once (at least {@code threads}: no share, the whole
     * pool): its silent names
     * leave the other threads to other partners' hosts; over it its lock naming a new host is refused (busy).
     */
    private int maxPerPartner = 4;
    /** Hosts whose answer is kept. */
    private int maxHosts = 10_000;
    /** How long a host's allowed or refused addresses are used without a new lookup. */
    private Duration ttl = Duration.ofSeconds(30);
    /** How long a host that did not resolve is refused without a new lookup. */
    private Duration failureTtl = Duration.ofSeconds(10);
}
