package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.ConcurrentBurst;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The XXL-Job executor's token limit checks and counts an attempt in one step, in this instance
 * ({@link LocalAuthLimit}) and through the fallback ({@link FallbackAuthLimit}, here over another instance's limit
 * standing in for Redis's): attempts let through and not yet answered count already, so attempts sent at once are
 * bounded as attempts sent one by one. Before, {@code attempt} only read the count and every one of 64 attempts not yet
 * answered was let through.
 */
class AuthLimitAttemptTest {

    private static final String CLIENT = "10.0.0.1";

    private final ConsoleLoginLimitProperties limits = new ConsoleLoginLimitProperties(); // 10 per address, 100 all

    private LocalAuthLimit local() {
        return new LocalAuthLimit(limits, () -> 1_000_000L);
    }

    @Test
    void attemptsNotYetAnsweredCountInThisInstance() {
        LocalAuthLimit limit = local();
        assertThat(letThrough(limit, 64)).as("of 64 attempts compared at once").isEqualTo(10);
        limit.rejected(CLIENT);
        assertThat(limit.refusal(CLIENT)).as("rejected counts nothing more").isNotNull();
    }

    @Test
    void attemptsFromManyThreadsAreLetThroughNoMoreOftenThanTheLimit() throws Exception {
        LocalAuthLimit limit = local();
        List<Callable<String>> attempts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            attempts.add(() -> limit.attempt(CLIENT) == null ? "through" : "refused");
        }
        assertThat(ConcurrentBurst.answers(16, attempts)).containsEntry("through", 10);
    }

    @Test
    void theRightSecretTakesItsCountBack() {
        LocalAuthLimit limit = local();
        assertThat(limit.attempt(CLIENT)).isNull();
        limit.admitted(CLIENT);
        assertThat(letThrough(limit, 64))
                .as("after the right secret, its attempt not counted")
                .isEqualTo(10);
    }

    @Test
    void throughTheFallbackTheSharedCheckHoldsAndThisInstanceCountsAlong() {
        LocalAuthLimit shared = local();
        LocalAuthLimit own = local();
        FallbackAuthLimit limit = new FallbackAuthLimit(shared, own);
        assertThat(limit.attempt(CLIENT)).isNull();
        limit.admitted(CLIENT);

        assertThat(letThrough(limit, 64)).as("of 64 attempts compared at once").isEqualTo(10);
        assertThat(shared.refusal(CLIENT)).as("counted where it is checked").isNotNull();
        assertThat(own.refusal(CLIENT))
                .as("counted in this instance too: locked out here should the shared store stop answering")
                .isNotNull();

        LocalAuthLimit fresh = local();
        FallbackAuthLimit clearedShared = new FallbackAuthLimit(fresh, own);
        assertThat(clearedShared.attempt(CLIENT))
                .as("while the shared store answers, its count decides (an operator clears it there)")
                .isNull();
    }

    private static int letThrough(AdminAuthLimit limit, int attempts) {
        int through = 0;
        for (int i = 0; i < attempts; i++) {
            if (limit.attempt(CLIENT) == null) {
                through++;
            }
        }
        return through;
    }
}
