package com.groupbuy.market.domain.trade.service.guard;

import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.domain.trade.service.guard.LocalRateWindows.Answer;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import com.groupbuy.market.types.partner.Partner;
import java.time.Clock;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;

/**
 * Lock and settlement admit a request only within the rates in force (live switches): per user of a pair, then per
 * pair. The user is asked first so one busy buyer is refused without using up the partner's budget. Over a limit:
 * {@code 0006}, the use case's first step, so nothing is written. A rate of 0 means no limit and costs no Redis call.
 * <p>
 * Redis unavailable: the same rates are counted in this instance alone ({@link LocalRateWindows}). Over them: {@code
 * 0006}, as Redis would answer (a caller over its rate in one instance is over it in all of them together), with
 * nothing read, and counted with Redis's refusals ({@link ITradeRateLimiter#countInstanceRefusal}). Within them: {@link DependencyUnavailableException} (E0401), never an unlimited admit; the lock and
 * settlement answer a repeat of a write they committed even then (it needs the database alone) and refuse everything
 * else. The local windows are kept per {@link Partner} (and per user of one), so ids that would join to one text
 * ({@code a:b}/{@code c} and {@code a}/{@code b:c}) never share a window. Without the local count every request of a flood cost that repeat's database read while Redis was down, and
 * nothing but the server's threads and the database pool bounded a partner.
 */
@Slf4j
public class TradeRateGuard {

    private final ITradeRateLimiter limiter;
    private final Supplier<LiveSwitchesVO> switches;
    private final LocalRateWindows localUsers;
    private final LocalRateWindows localPairs;

    public TradeRateGuard(ITradeRateLimiter limiter, Supplier<LiveSwitchesVO> switches) {
        this(limiter, switches, Clock.systemUTC());
    }

    public TradeRateGuard(ITradeRateLimiter limiter, Supplier<LiveSwitchesVO> switches, Clock clock) {
        this.limiter = limiter;
        this.switches = switches;
        // Apart, so a flood of user ids cannot crowd the partners out of the instance's count.
        this.localUsers = new LocalRateWindows(clock);
        this.localPairs = new LocalRateWindows(clock);
    }

    /** Returns when admitted; {@code 0006} otherwise; E0401 when Redis cannot count and the local count admits. */
    public void admit(String operation, String source, String channel, String userId) {
        LiveSwitchesVO current = switches.get();
        int userRate = current.userRate();
        int pairRate = current.pairRate(source, channel);
        try {
            if (userRate > 0 && !limiter.tryAcquireUser(source, channel, userId, userRate)) {
                throw refused(operation, source, channel, userId, userRate, Answer.OVER);
            }
            if (pairRate > 0 && !limiter.tryAcquirePair(source, channel, pairRate)) {
                throw refused(operation, source, channel, null, pairRate, Answer.OVER);
            }
        } catch (DependencyUnavailableException uncounted) {
            Partner pair = Partner.named(source, channel);
            if (pair == null) {
                // No partner to count it under (the HTTP edge refuses missing ids before the use case): never
                // admitted here either, the outage's answer.
                throw uncounted;
            }
            if (userRate > 0) {
                Answer answer = localUsers.tryAcquire(new UserBucket(pair, userId), userRate);
                if (answer != Answer.ADMITTED) {
                    limiter.countInstanceRefusal(true);
                    throw refused(operation, source, channel, userId, userRate, answer);
                }
            }
            if (pairRate > 0) {
                Answer answer = localPairs.tryAcquire(pair, pairRate);
                if (answer != Answer.ADMITTED) {
                    limiter.countInstanceRefusal(false);
                    throw refused(operation, source, channel, null, pairRate, answer);
                }
            }
            throw uncounted;
        }
    }

    /** {@code 0006}: over the user's rate ({@code userId} given) or the pair's, or no room left to count it. */
    private static AppException refused(
            String operation, String source, String channel, String userId, int rate, Answer answer) {
        String scope = userId == null ? "source and channel" : "user";
        log.info(
                "{} rate limited{}: user={} source={} channel={} over {}/s",
                operation,
                answer == Answer.FULL ? " (no room to count it in this instance)" : "",
                userId,
                source,
                channel,
                rate);
        if (answer == Answer.FULL) {
            return new AppException(
                    ResponseCode.RATE_LIMITER,
                    "rate limited: too many callers to count per " + scope + " in this instance, retry later");
        }
        return new AppException(
                ResponseCode.RATE_LIMITER,
                "rate limited: more than " + rate + " requests per second for this " + scope);
    }

    /** One user of one partner: the partner's ids and the user's compared exactly, none joined to another. */
    private record UserBucket(Partner pair, String userId) {}
}
