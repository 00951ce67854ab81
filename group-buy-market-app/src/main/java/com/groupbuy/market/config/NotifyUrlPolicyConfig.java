package com.groupbuy.market.config;

import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.service.lock.NotifyTargetCheck;
import com.groupbuy.market.infrastructure.gateway.NotifyUrls;
import com.groupbuy.market.types.net.NotifyHostLookup;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import com.groupbuy.market.types.net.PartnerCallbackHosts;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Which callback targets partners may give us. Loopback is allowed outside prod so the built-in test receiver works
 * on one machine; the prod profile turns it off. A URL the callback client cannot parse is refused as well. A lock's
 * notifyUrl host is looked up through a bounded {@link NotifyHostLookup} ({@code gbm.notify.lock-lookup.*}), for a
 * new order only ({@link NotifyTargetCheck}), after its partner's callback hosts ({@code gbm.notify.callback-hosts}).
 */
@Configuration
public class NotifyUrlPolicyConfig {

    static final String CALLBACK_HOSTS = "gbm.notify.callback-hosts";

    @Bean
    public NotifyUrlPolicy notifyUrlPolicy(
            @Value("${gbm.notify.allow-loopback:true}") boolean allowLoopback,
            @Value("${gbm.notify.allow-private:false}") boolean allowPrivate) {
        // The callback client's own parser: a URL it refuses is refused at the lock, not failed on every callback.
        return new NotifyUrlPolicy(allowLoopback, allowPrivate, NotifyUrls::sendable);
    }

    @Bean
    public NotifyHostLookup notifyHostLookup(NotifyUrlPolicy policy, NotifyLockLookupProperties properties) {
        checkBounds(properties);
        return new NotifyHostLookup(
                policy,
                properties.getTimeout(),
                properties.getThreads(),
                properties.getMaxPerPartner(),
                properties.getMaxHosts(),
                properties.getTtl(),
                properties.getFailureTtl());
    }

    /**
     * The callback target a new lock asks for: MQ while it is on here, an HTTP host the partner may name (its own when
     * it is bound, never another partner's) whose addresses are public now. The binding is asked first: it looks
     * nothing up.
     */
    @Bean
    public NotifyTargetCheck notifyTargetCheck(
            NotifyRoutes notifyRoutes, NotifyHostLookup notifyHostLookup, Environment environment) {
        PartnerCallbackHosts bound = partnerCallbackHosts(environment);
        if (bound.isEmpty()) {
            return new NotifyTargetCheck(notifyRoutes, notifyHostLookup::refusal);
        }
        return new NotifyTargetCheck(notifyRoutes, (host, source, channel) -> {
            String refusal = bound.refusal(host, source, channel);
            return refusal != null ? refusal : notifyHostLookup.refusal(host, source, channel);
        });
    }

    /** {@code gbm.notify.callback-hosts}, parsed; the start is refused for an entry that is no host or an empty pair. */
    static PartnerCallbackHosts partnerCallbackHosts(Environment environment) {
        return PartnerKeyedSettingsGuard.parseLists(environment, CALLBACK_HOSTS, PartnerCallbackHosts::parse);
    }

    /** The start is refused for a setting outside its bounds (docs/operations.md). */
    static void checkBounds(NotifyLockLookupProperties properties) {
        within("timeout", properties.getTimeout(), Duration.ofMillis(10), Duration.ofSeconds(10));
        within("ttl", properties.getTtl(), Duration.ofSeconds(1), Duration.ofHours(1));
        within("failure-ttl", properties.getFailureTtl(), Duration.ofSeconds(1), Duration.ofHours(1));
        if (properties.getThreads() < 1 || properties.getThreads() > 256) {
            throw new IllegalStateException(
                    "gbm.notify.lock-lookup.threads must be 1..256, was " + properties.getThreads());
        }
        // At least `threads`: no share per partner, the whole pool.
        if (properties.getMaxPerPartner() < 1 || properties.getMaxPerPartner() > 256) {
            throw new IllegalStateException(
                    "gbm.notify.lock-lookup.max-per-partner must be 1..256, was " + properties.getMaxPerPartner());
        }
        if (properties.getMaxHosts() < 100 || properties.getMaxHosts() > 1_000_000) {
            throw new IllegalStateException(
                    "gbm.notify.lock-lookup.max-hosts must be 100..1000000, was " + properties.getMaxHosts());
        }
    }

    private static void within(String name, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalStateException(
                    "gbm.notify.lock-lookup." + name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
