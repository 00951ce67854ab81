package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.gateway.PublicOnlyDns;
import com.groupbuy.market.types.net.NotifyHostLookup;
import com.groupbuy.market.types.net.ResolverPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import org.springframework.context.annotation.Configuration;

/**
 * The callback-host resolver pools' meters, tag {@code use} = {@code lock} (a lock's notifyUrl host,
 * {@link NotifyHostLookup}) or {@code delivery} (the callback's connect, {@link PublicOnlyDns}):
 * {@code gbm.notify.host.lookups.running} (lookups holding a resolver thread now),
 * {@code gbm.notify.host.lookups.busy} (lookups that could not start; {@code reason} = {@code pool}: no free thread,
 * {@code partner}: the partner's share in use) and {@code gbm.notify.host.lookups.timed.out} (waits that ended at the
 * bound with the lookup still running). docs/operations.md.
 */
@Configuration
public class HostLookupMetricsConfig {

    public HostLookupMetricsConfig(MeterRegistry meters, NotifyHostLookup lockLookups, OkHttpClient notifyHttpClient) {
        bind(meters, "lock", lockLookups.pool());
        if (notifyHttpClient.dns() instanceof PublicOnlyDns delivery) {
            bind(meters, "delivery", delivery.pool());
        }
    }

    static void bind(MeterRegistry meters, String use, ResolverPool<?> pool) {
        Gauge.builder("gbm.notify.host.lookups.running", pool, ResolverPool::running)
                .description("callback-host lookups holding a resolver thread")
                .tag("use", use)
                .register(meters);
        FunctionCounter.builder("gbm.notify.host.lookups.busy", pool, p -> p.refusedBusy() - p.refusedOwnerBusy())
                .description("callback-host lookups refused: no free resolver thread")
                .tags("use", use, "reason", "pool")
                .register(meters);
        FunctionCounter.builder("gbm.notify.host.lookups.busy", pool, ResolverPool::refusedOwnerBusy)
                .description("callback-host lookups refused: the partner's share of resolver threads in use")
                .tags("use", use, "reason", "partner")
                .register(meters);
        FunctionCounter.builder("gbm.notify.host.lookups.timed.out", pool, ResolverPool::timedOut)
                .description("waits for a callback-host lookup that ended at the bound")
                .tag("use", use)
                .register(meters);
    }
}
