package com.groupbuy.market.domain.trade.service.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.support.MutableClock;
import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.model.valobj.SwitchValues;
import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * While Redis cannot count the rates, this instance counts them itself: within them the answer stays the outage's
 * (E0401, so the use case may answer a committed repeat from the database); over them it is {@code 0006} with nothing
 * read, where every request of a flood used to cost a database read.
 */
class TradeRateGuardOutageTest {

    /** The refusals the instance counted with Redis's: true per user, false per pair. */
    private final List<Boolean> counted = new ArrayList<>();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T00:00:00Z"));
    private final ITradeRateLimiter redisDown = new ITradeRateLimiter() {
        @Override
        public boolean tryAcquirePair(String source, String channel, int perSecond) {
            throw RateGuards.outage();
        }

        @Override
        public boolean tryAcquireUser(String source, String channel, String userId, int perSecond) {
            throw RateGuards.outage();
        }

        @Override
        public void countInstanceRefusal(boolean perUser) {
            counted.add(perUser);
        }
    };

    @Test
    void aUserOverItsRateIsRefused0006UntilTheSecondEnds() {
        TradeRateGuard guard = guard("2", "");
        assertUncounted(guard, "s01", "c01", "u1");
        assertUncounted(guard, "s01", "c01", "u1");
        assertRefused(guard, "s01", "c01", "u1", "rate limited: more than 2 requests per second for this user");
        assertUncounted(guard, "s01", "c01", "u2");
        assertUncounted(guard, "s02", "c01", "u1");
        assertThat(counted).as("the refusal, per user").containsExactly(true);

        clock.advance(Duration.ofSeconds(1));
        assertUncounted(guard, "s01", "c01", "u1");
    }

    @Test
    void aClockSteppedBackStartsANewWindowInsteadOfHoldingTheOldOne() {
        TradeRateGuard guard = guard("1", "");
        assertUncounted(guard, "s01", "c01", "u1");
        assertRefused(guard, "s01", "c01", "u1", "rate limited: more than 1 requests per second for this user");

        clock.advance(Duration.ofHours(-1));
        assertUncounted(guard, "s01", "c01", "u1");
    }

    @Test
    void aPartnerOverItsRateIsRefused0006AndAnotherPartnerIsNot() {
        TradeRateGuard guard = guard("0", "s01:c01=3,s02:c02=3");
        for (int i = 0; i < 3; i++) {
            assertUncounted(guard, "s01", "c01", "u" + i);
        }
        assertRefused(
                guard, "s01", "c01", "u9", "rate limited: more than 3 requests per second for this source and channel");
        assertUncounted(guard, "s02", "c02", "u9");
        assertThat(counted).as("the refusal, per pair").containsExactly(false);
    }

    /** Counted per partner, ids apart: joined, {@code a:b}/{@code c} and {@code a}/{@code b:c} read the same. */
    @Test
    void partnersWhoseIdsWouldJoinToOneTextAreCountedApart() {
        TradeRateGuard perUser = guard("1", "");
        assertUncounted(perUser, "a:b", "c", "u1");
        assertRefused(perUser, "a:b", "c", "u1", "rate limited: more than 1 requests per second for this user");
        assertUncounted(perUser, "a", "b:c", "u1");

        Map<SwitchName, String> values = SwitchValues.unset();
        values.put(SwitchName.RATE_LIMIT_USER, "0");
        values.put(SwitchName.RATE_LIMIT_PAIR_DEFAULT, "1");
        LiveSwitchesVO onePerPair = LiveSwitchesVO.of(values);
        TradeRateGuard perPair = new TradeRateGuard(redisDown, () -> onePerPair, clock);
        assertUncounted(perPair, "a:b", "c", "u1");
        assertUncounted(perPair, "a", "b:c", "u2");
        assertRefused(
                perPair, "a", "b:c", "u3", "rate limited: more than 1 requests per second for this source and channel");
    }

    /** Missing ids (refused at the edge before the use case) are never counted, nor admitted: the outage's answer. */
    @Test
    void idsNamingNoPartnerAreAnsweredTheOutageUncounted() {
        TradeRateGuard guard = guard("1", "");
        for (String[] ids : new String[][] {{"", "c01"}, {"s01", ""}, {null, "c01"}, {"s01", null}}) {
            assertUncounted(guard, ids[0], ids[1], "u1");
            assertUncounted(guard, ids[0], ids[1], "u1");
        }
        assertThat(counted).as("nothing refused, nothing counted").isEmpty();
    }

    @Test
    void aRefusedUserSparesThePartnersBudget() {
        TradeRateGuard guard = guard("1", "s01:c01=2");
        assertUncounted(guard, "s01", "c01", "u1");
        assertRefused(guard, "s01", "c01", "u1", "rate limited: more than 1 requests per second for this user");
        assertRefused(guard, "s01", "c01", "u1", "rate limited: more than 1 requests per second for this user");
        assertUncounted(guard, "s01", "c01", "u2");
    }

    @Test
    void noLimitCountsNothing() {
        TradeRateGuard guard = guard("0", "");
        for (int i = 0; i < 100; i++) {
            guard.admit("lock", "s01", "c01", "u1"); // no bucket asked: admitted, Redis down or not
        }
    }

    @Test
    void callersPastTheBucketCapAreRefusedUntilWindowsEnd() {
        LocalRateWindows windows = new LocalRateWindows(clock);
        for (int i = 0; i < LocalRateWindows.MAX_BUCKETS; i++) {
            assertThat(windows.tryAcquire("u" + i, 5)).isEqualTo(LocalRateWindows.Answer.ADMITTED);
        }
        assertThat(windows.tryAcquire("new", 5)).isEqualTo(LocalRateWindows.Answer.FULL);
        assertThat(windows.tryAcquire("u1", 5))
                .as("a counted bucket is still counted")
                .isEqualTo(LocalRateWindows.Answer.ADMITTED);

        clock.advance(Duration.ofSeconds(1));
        assertThat(windows.tryAcquire("new", 5)).isEqualTo(LocalRateWindows.Answer.ADMITTED);
        assertThat(windows.buckets()).as("ended windows dropped").isEqualTo(1);
    }

    /**
     * Past the instance's 10,000 counted callers within a second, a new one is refused {@code 0006}, told it is one
     * too many to count (not over its rate), and counted with Redis's refusals: what the instance cannot count it
     * does not let through. A caller already counted is still counted.
     */
    @Test
    void aNewCallerPastTheInstancesCountIsRefused0006NotLetThrough() {
        TradeRateGuard guard = guard("5", "");
        for (int i = 0; i < LocalRateWindows.MAX_BUCKETS; i++) {
            assertUncounted(guard, "s01", "c01", "u" + i);
        }

        assertRefused(
                guard,
                "s01",
                "c01",
                "u-new",
                "rate limited: too many callers to count per user in this instance, retry later");
        assertThat(counted).containsExactly(true);
        assertUncounted(guard, "s01", "c01", "u1");
    }

    private TradeRateGuard guard(String userRate, String pairRates) {
        Map<SwitchName, String> values = SwitchValues.unset();
        values.put(SwitchName.RATE_LIMIT_USER, userRate);
        values.put(SwitchName.RATE_LIMIT_PAIRS, pairRates);
        LiveSwitchesVO switches = LiveSwitchesVO.of(values);
        return new TradeRateGuard(redisDown, () -> switches, clock);
    }

    private static void assertUncounted(TradeRateGuard guard, String source, String channel, String userId) {
        assertThatThrownBy(() -> guard.admit("lock", source, channel, userId))
                .isInstanceOf(DependencyUnavailableException.class);
    }

    private static void assertRefused(TradeRateGuard guard, String source, String channel, String userId, String info) {
        assertThatThrownBy(() -> guard.admit("lock", source, channel, userId))
                .isInstanceOf(AppException.class)
                .hasMessage("0006 " + info);
    }
}
