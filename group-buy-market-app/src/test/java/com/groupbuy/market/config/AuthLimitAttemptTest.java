package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.ConcurrentBurst;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The XXL-Job executor's token limit checks and counts a wrong token in one step, in this instance
 * ({@link LocalAuthLimit}) and through the fallback ({@link FallbackAuthLimit}, here over another instance's limit
 * standing in for Redis's), so wrong tokens sent at once are bounded as ones sent one by one; the right token is only
 * checked, never counted, so the console's calls sent at once never lock it out.
 */
class AuthLimitAttemptTest {

    private static final String CLIENT = "10.0.0.1";

    private final ConsoleLoginLimitProperties limits = new ConsoleLoginLimitProperties(); // 10 per address, 100 all

    private LocalAuthLimit local() {
        return new LocalAuthLimit(limits, () -> 1_000_000L);
    }

    @Test
    void wrongTokensAreCountedUpToTheLimitThenRefused() {
        LocalAuthLimit limit = local();
        assertThat(counted(limit, 64)).as("of 64 wrong tokens").isEqualTo(10);
        assertThat(limit.refusal(CLIENT))
                .as("the right one refused after them, like a wrong one")
                .isNotNull();
    }

    @Test
    void wrongTokensFromManyThreadsAreCountedNoMoreOftenThanTheLimit() throws Exception {
        LocalAuthLimit limit = local();
        List<Callable<String>> failures = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            failures.add(() -> limit.failure(CLIENT) == null ? "counted" : "refused");
        }
        assertThat(ConcurrentBurst.answers(16, failures)).containsEntry("counted", 10);
    }

    @Test
    void theRightTokenIsCheckedNeverCounted() throws Exception {
        LocalAuthLimit limit = local();
        List<Callable<String>> rights = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            rights.add(() -> {
                AdminAuthLimit.Refusal refusal = limit.refusal(CLIENT);
                if (refusal == null) {
                    limit.succeeded(CLIENT);
                }
                return refusal == null ? "admitted" : "refused";
            });
        }
        assertThat(ConcurrentBurst.answers(16, rights)).containsEntry("admitted", 64);
        assertThat(counted(limit, 64))
                .as("a wrong token's full limit left after them")
                .isEqualTo(10);
    }

    @Test
    void throughTheFallbackTheSharedCheckHoldsAndThisInstanceCountsAlong() {
        LocalAuthLimit shared = local();
        LocalAuthLimit own = local();
        FallbackAuthLimit limit = new FallbackAuthLimit(shared, own);

        assertThat(counted(limit, 64)).as("of 64 wrong tokens").isEqualTo(10);
        assertThat(shared.refusal(CLIENT)).as("counted where it is checked").isNotNull();
        assertThat(own.refusal(CLIENT))
                .as("counted in this instance too: locked out here should the shared store stop answering")
                .isNotNull();

        LocalAuthLimit fresh = local();
        FallbackAuthLimit clearedShared = new FallbackAuthLimit(fresh, own);
        assertThat(clearedShared.failure(CLIENT))
                .as("while the shared store answers, its count decides (an operator clears it there)")
                .isNull();
    }

    private static int counted(AdminAuthLimit limit, int wrongTokens) {
        int counted = 0;
        for (int i = 0; i < wrongTokens; i++) {
            if (limit.failure(CLIENT) == null) {
                counted++;
            }
        }
        return counted;
    }
}
