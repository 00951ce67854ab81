package com.groupbuy.market.config;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The pool that loads uncached market configuration beside the trial's own reads. Small and bounded: it only
 * works on cache misses (a cold start, a TTL expiry); when full, the caller loads itself, so a burst of misses
 * slows down to sequential reads instead of failing.
 */
@Configuration
public class MarketConfigLoadConfig {

    /** {@code gbm.market.config-cache-ttl}, bound and checked, for the market configuration repository. */
    @Bean
    public Duration marketConfigCacheTtl(MarketConfigLoadProperties properties) {
        return properties.getConfigCacheTtl();
    }

    @Bean(destroyMethod = "shutdown")
    public ExecutorService marketConfigLoadExecutor(MarketConfigLoadProperties properties) {
        int threads = properties.getConfigLoadThreads();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256),
                r -> {
                    Thread thread = new Thread(r, "market-config-load-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
