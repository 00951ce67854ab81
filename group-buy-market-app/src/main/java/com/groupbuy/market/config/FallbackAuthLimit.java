package com.groupbuy.market.config;

import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import lombok.extern.slf4j.Slf4j;

/**
 * The XXL-Job executor's token limit: Redis's ({@link RedisAuthLimit}, shared by every instance) while Redis answers,
 * this instance's own ({@link LocalAuthLimit}, the same limits) while it cannot. Refusing every token while Redis was
 * down locked operators out of the compensation jobs (notify retries, timeout close) exactly when an outage may have
 * left work for them; admitting every token would let guessing go unlimited. With the fallback the right token still
 * runs jobs and a guesser gets at most the same limits per instance and window. Failures and successes are counted
 * locally always, so an address locked out before the outage stays locked out during it.
 * <p>
 * {@link #failure} (a wrong token) checks and counts in one step: Redis's script while Redis answers, and then this
 * instance counts the failure Redis let through too, without its own check (Redis's count is the one that holds, an
 * operator clears it there); {@link LocalAuthLimit#failure} while Redis cannot answer. A failure Redis refused is
 * counted nowhere, as before. The right token is only checked ({@link #refusal}), never counted.
 * <p>
 * The admin token keeps refusing during an outage (E0401): the console's sign-in can wait, a job may not.
 */
@Slf4j
final class FallbackAuthLimit implements AdminAuthLimit {

    private static final long LOG_EVERY_MILLIS = 60_000;

    private final AdminAuthLimit shared;
    private final LocalAuthLimit local;
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);

    FallbackAuthLimit(AdminAuthLimit shared, LocalAuthLimit local) {
        this.shared = shared;
        this.local = local;
    }

    @Override
    public Refusal refusal(String client) {
        try {
            return shared.refusal(client);
        } catch (DependencyUnavailableException e) {
            outage(e);
            return local.refusal(client);
        }
    }

    @Override
    public Refusal failure(String client) {
        Refusal refusal;
        try {
            refusal = shared.failure(client);
        } catch (DependencyUnavailableException e) {
            outage(e);
            return local.failure(client);
        }
        if (refusal == null) {
            local.failed(client); // Redis let it through: counted here too, Redis's check is the one that holds
        }
        return refusal;
    }

    @Override
    public void failed(String client) {
        inBoth(client, AdminAuthLimit::failed);
    }

    @Override
    public void succeeded(String client) {
        inBoth(client, AdminAuthLimit::succeeded);
    }

    /** {@code step} in this instance always, and in Redis while it answers. */
    private void inBoth(String client, BiConsumer<AdminAuthLimit, String> step) {
        step.accept(local, client);
        try {
            step.accept(shared, client);
        } catch (DependencyUnavailableException e) {
            outage(e);
        }
    }

    /** Once a minute at most: every request during an outage comes here. */
    private void outage(DependencyUnavailableException e) {
        long now = System.currentTimeMillis();
        long last = lastLogged.get();
        if ((last == Long.MIN_VALUE || now - last >= LOG_EVERY_MILLIS) && lastLogged.compareAndSet(last, now)) {
            log.warn("executor token limit: Redis unavailable ({}), counting in this instance only", e.getMessage());
        }
    }
}
