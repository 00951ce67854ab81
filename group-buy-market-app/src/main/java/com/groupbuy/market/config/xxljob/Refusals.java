package com.groupbuy.market.config.xxljob;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refusals anyone reaching the port can cause without limit (no token, a lock-out) are logged at most once a
 * minute with how many there were, so they cannot fill the log; counted wrong tokens are bounded by the limit
 * and each logged.
 */
final class Refusals {

    // Logged under the endpoint's logger, as it always was: operators filter on that name.
    private static final Logger log = LoggerFactory.getLogger(ExecutorHttpServer.class);
    private static final long REFUSAL_LOG_EVERY_MILLIS = 60_000;

    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unlogged = new AtomicLong();

    void log(String what, String rawPath, Object remote) {
        long now = System.currentTimeMillis();
        long last = lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < REFUSAL_LOG_EVERY_MILLIS) {
            unlogged.incrementAndGet();
            return;
        }
        if (!lastLogged.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        long more = unlogged.getAndSet(0);
        log.warn(
                "xxl-job executor refused {} from {}: {}{}",
                rawPath,
                remote,
                what,
                more == 0 ? "" : " (and " + more + " refusals not logged in the last minute)");
    }
}
