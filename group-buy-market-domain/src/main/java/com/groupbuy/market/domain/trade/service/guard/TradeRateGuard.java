package com.groupbuy.market.domain.trade.service.guard;

import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;

/**
 * Lock and settlement admit a request only within the rates in force (live switches): per user of a pair, then per
 * pair. The user is asked first so one busy buyer is refused without using up the partner's budget. Over a limit:
 * {@code 0006}, the use case's first step, so nothing is written. A rate of 0 means no limit and costs no Redis call.
 * Redis unavailable: {@link com.groupbuy.market.types.exception.DependencyUnavailableException} (E0401), never an
 * unlimited admit; the lock and settlement answer a repeat of a write they committed even then (it needs the database
 * alone) and refuse everything else.
 */
@Slf4j
public class TradeRateGuard {

    private final ITradeRateLimiter limiter;
    private final Supplier<LiveSwitchesVO> switches;

    public TradeRateGuard(ITradeRateLimiter limiter, Supplier<LiveSwitchesVO> switches) {
        this.limiter = limiter;
        this.switches = switches;
    }

    /** Returns when admitted; {@code 0006} otherwise. */
    public void admit(String operation, String source, String channel, String userId) {
        LiveSwitchesVO current = switches.get();
        int userRate = current.userRate();
        if (userRate > 0 && !limiter.tryAcquireUser(source, channel, userId, userRate)) {
            log.info(
                    "{} rate limited: user={} source={} channel={} over {}/s",
                    operation,
                    userId,
                    source,
                    channel,
                    userRate);
            throw new AppException(
                    ResponseCode.RATE_LIMITER,
                    "rate limited: more than " + userRate + " requests per second for this user");
        }
        int pairRate = current.pairRate(source, channel);
        if (pairRate > 0 && !limiter.tryAcquirePair(source, channel, pairRate)) {
            log.info("{} rate limited: source={} channel={} over {}/s", operation, source, channel, pairRate);
            throw new AppException(
                    ResponseCode.RATE_LIMITER,
                    "rate limited: more than " + pairRate + " requests per second for this source and channel");
        }
    }
}
