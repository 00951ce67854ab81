package com.groupbuy.market.domain.trade.service.lock;

import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.service.IIndexGroupBuyMarketService;
import com.groupbuy.market.domain.trade.adapter.port.INotifyHostCheck;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.service.guard.RateGuards;
import com.groupbuy.market.domain.trade.service.guard.TradeRateGuard;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The lock service over a test's ports at a fixed time, the trial it prices with, and its notify target checks. */
final class LockServices {

    private LockServices() {}

    /** No close checks, no place reconciler, no rate limit. */
    static TradeLockService over(
            IIndexGroupBuyMarketService trials,
            ITradeRepository repository,
            ITeamPlaceReservation places,
            NotifyTargetCheck notifyTargets) {
        return over(trials, repository, places, notifyTargets, RateGuards.none());
    }

    /** No close checks, no place reconciler, rates asked of {@code rateGuard}. */
    static TradeLockService over(
            IIndexGroupBuyMarketService trials,
            ITradeRepository repository,
            ITeamPlaceReservation places,
            NotifyTargetCheck notifyTargets,
            TradeRateGuard rateGuard) {
        return new TradeLockService(
                trials,
                repository,
                places,
                new TradeIds(),
                new CloseCheckPolicy(false, null, Duration.ZERO, PaymentGrace.none()),
                taskId -> {},
                null,
                notifyTargets,
                rateGuard,
                (source, channel) -> true);
    }

    /**
     * The product priced 100.00 less 20.00, a team of 3 for 15 minutes, the activity open a day either side of now,
     * judged at {@code now} (the lock's instant).
     */
    static TrialBalanceEntity.TrialBalanceEntityBuilder trial(MarketProductEntity product, Instant now, int takeLimit) {
        return TrialBalanceEntity.builder()
                .judgedAt(now)
                .activityId(product.getActivityId())
                .goodsId(product.getGoodsId())
                .originalPrice(new BigDecimal("100.00"))
                .deductionPrice(new BigDecimal("20.00"))
                .payPrice(new BigDecimal("80.00"))
                .activityStartTime(now.minus(Duration.ofDays(1)))
                .activityEndTime(now.plus(Duration.ofDays(1)))
                .targetCount(3)
                .validTimeMinutes(15)
                .takeLimitCount(takeLimit)
                .visible(true)
                .enable(true);
    }

    /** What the store answers a lock it wrote: its order, locked, in goods g1 of activity 7. */
    static MarketPayOrderEntity written(LockOrderAggregate aggregate) {
        return writing(aggregate).build();
    }

    /** {@link #written}, to be told more (its close checks, say). */
    static MarketPayOrderEntity.MarketPayOrderEntityBuilder writing(LockOrderAggregate aggregate) {
        return MarketPayOrderEntity.builder()
                .orderId(aggregate.getOrderId())
                .teamId(aggregate.getTeamId())
                .activityId(7L)
                .goodsId("g1")
                .status(OrderStatus.LOCKED.code());
    }

    /** User u1 of s01/c01 locks goods g1 in activity 7 as out-1, to be called back at https://mall.example/cb. */
    /** An open team of s01/c01 in activity 7, one place taken of three, ending ten minutes after {@code now}. */
    static Team openTeam(String teamId, Instant now) {
        return Team.builder()
                .teamId(teamId)
                .activityId(7L)
                .targetCount(3)
                .lockCount(1)
                .completeCount(0)
                .status(TeamStatus.OPEN)
                .validEndTime(now.plus(Duration.ofMinutes(10)))
                .source("s01")
                .channel("c01")
                .notifyType("HTTP")
                .notifyUrl("https://mall.example/cb")
                .build();
    }

    static LockOrderCommand.LockOrderCommandBuilder command() {
        return LockOrderCommand.builder()
                .userId("u1")
                .activityId(7L)
                .goodsId("g1")
                .source("s01")
                .channel("c01")
                .outTradeNo("out-1")
                .notifyType("HTTP")
                .notifyUrl("https://mall.example/cb");
    }

    /** MQ on, every host allowed. */
    static NotifyTargetCheck allowedTargets() {
        return targets(true, (host, source, channel) -> null);
    }

    static NotifyTargetCheck targets(boolean mqEnabled, INotifyHostCheck hosts) {
        return new NotifyTargetCheck(new NotifyRoutes(mqEnabled, Map.of(), (source, channel) -> null), hosts);
    }
}
