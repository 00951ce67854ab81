package com.groupbuy.market.domain.trade.service.guard;

import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.model.valobj.SwitchValues;
import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.util.Map;

/** Test support: rate guards over a limiter of the test's own. */
public final class RateGuards {

    private RateGuards() {}

    /** No rate limited: no bucket is asked. */
    public static TradeRateGuard none() {
        return new TradeRateGuard(
                new ITradeRateLimiter() {
                    @Override
                    public boolean tryAcquirePair(String source, String channel, int perSecond) {
                        throw new AssertionError("no limit, no bucket");
                    }

                    @Override
                    public boolean tryAcquireUser(String source, String channel, String userId, int perSecond) {
                        throw new AssertionError("no limit, no bucket");
                    }
                },
                () -> LiveSwitchesVO.of(SwitchValues.unset()));
    }

    /** Every user limited, the buckets' Redis unavailable: each check is an outage (E0401), as the breaker says. */
    public static TradeRateGuard redisDown() {
        return limitedBy(new ITradeRateLimiter() {
            @Override
            public boolean tryAcquirePair(String source, String channel, int perSecond) {
                throw outage();
            }

            @Override
            public boolean tryAcquireUser(String source, String channel, String userId, int perSecond) {
                throw outage();
            }
        });
    }

    /** Every user limited to 5/s, asked of {@code limiter}. */
    public static TradeRateGuard limitedBy(ITradeRateLimiter limiter) {
        Map<SwitchName, String> values = SwitchValues.unset();
        values.put(SwitchName.RATE_LIMIT_USER, "5");
        LiveSwitchesVO switches = LiveSwitchesVO.of(values);
        return new TradeRateGuard(limiter, () -> switches);
    }

    public static DependencyUnavailableException outage() {
        return new DependencyUnavailableException(
                DependencyUnavailableException.REDIS, "breaker open", new IllegalStateException("connection refused"));
    }
}
