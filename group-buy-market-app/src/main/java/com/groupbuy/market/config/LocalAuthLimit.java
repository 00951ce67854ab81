package com.groupbuy.market.config;

import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link RedisAuthLimit}'s rules kept in this process alone: the same limits per address and over all addresses, the
 * same windows (each starts at its counter's first failure) and the same known addresses. Only
 * {@link FallbackAuthLimit} uses it, while Redis cannot answer: each instance then allows at most its own limits'
 * worth of guesses per window, never unlimited ones.
 * <p>
 * {@link #failure} checks and counts under one lock: wrong secrets sent at once are bounded as ones sent one by one.
 * <p>
 * Bounded memory: a failure is counted only after {@link #refusal} or {@link #failure} let it through, so an address
 * is added at most once per window for each of the limit of all addresses' failures, plus the known addresses' own;
 * entries whose window or knowing has ended are dropped whenever {@link #MAX_ENTRIES} is passed, and past it still a
 * new address is not added but counted in the total only.
 */
final class LocalAuthLimit implements AdminAuthLimit {

    static final int MAX_ENTRIES = 10_000;

    private final ConsoleLoginLimitProperties limits;
    private final LongSupplier millis;
    private final Map<String, Window> failures = new HashMap<>();
    private final Map<String, Long> knownUntil = new HashMap<>();
    private Window all;

    LocalAuthLimit(ConsoleLoginLimitProperties limits, LongSupplier millis) {
        this.limits = limits;
        this.millis = millis;
    }

    @Override
    public synchronized Refusal refusal(String client) {
        long now = millis.getAsLong();
        Window own = live(failures.get(client), now);
        if (own != null && own.count >= limits.getMaxFailures()) {
            return new Refusal(own.end - now, limits.getMaxFailures(), false);
        }
        Long known = knownUntil.get(client);
        if (known != null && known > now) {
            return null;
        }
        Window total = live(all, now);
        if (total != null && total.count >= limits.getMaxFailuresAllAddresses()) {
            return new Refusal(total.end - now, limits.getMaxFailuresAllAddresses(), true);
        }
        return null;
    }

    @Override
    public synchronized Refusal failure(String client) {
        Refusal refusal = refusal(client);
        if (refusal == null) {
            failed(client);
        }
        return refusal;
    }

    @Override
    public synchronized void failed(String client) {
        long now = millis.getAsLong();
        long window = limits.getWindow().toMillis();
        all = count(live(all, now), now, window);
        Window own = live(failures.get(client), now);
        if (own == null && failures.size() >= MAX_ENTRIES) {
            failures.values().removeIf(w -> w.end <= now);
            if (failures.size() >= MAX_ENTRIES) {
                return; // counted in all addresses' total, which bounds guesses anyway
            }
        }
        failures.put(client, count(own, now, window));
    }

    @Override
    public synchronized void succeeded(String client) {
        long now = millis.getAsLong();
        if (!knownUntil.containsKey(client) && knownUntil.size() >= MAX_ENTRIES) {
            for (Iterator<Long> it = knownUntil.values().iterator(); it.hasNext(); ) {
                if (it.next() <= now) {
                    it.remove();
                }
            }
            if (knownUntil.size() >= MAX_ENTRIES) {
                return;
            }
        }
        knownUntil.put(client, now + limits.getKnownFor().toMillis());
    }

    private static Window live(Window window, long now) {
        return window == null || window.end <= now ? null : window;
    }

    private static Window count(Window live, long now, long window) {
        Window counted = live == null ? new Window(now + window) : live;
        counted.count++;
        return counted;
    }

    private static final class Window {
        final long end;
        int count;

        Window(long end) {
            this.end = end;
        }
    }
}
