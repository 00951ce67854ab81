package com.groupbuy.market.domain.trade.service.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.domain.activity.adapter.repository.IActivityRepository;
import com.groupbuy.market.domain.activity.model.valobj.ActivityStatus;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountType;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.MarketConfigVO;
import com.groupbuy.market.domain.activity.model.valobj.MarketSwitchesVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import com.groupbuy.market.domain.activity.service.trial.IndexGroupBuyMarketService;
import com.groupbuy.market.domain.support.MutableClock;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A lock decides at one instant: the activity's window (the trial), the team's (a join), and the start of the team it
 * opens. The lock read the clock before the trial and the trial read it again after its configuration read (on a cache
 * miss a database round trip, up to the statement bound): at an activity's start (midnight in UTC+8) the trial's later
 * reading admitted a lock whose team was opened at the earlier one, before the activity started — and the settlement's
 * window, which opens at the team start's whole second, then took a payment made a second before the activity began.
 * Over the real trial (its rule tree over an in-memory configuration) and a clock that moves on 2 ms at every reading.
 */
class TradeLockServiceOneInstantTest {

    /** 2026-12-06 00:00:00 in UTC+8, the partners' zone. */
    private static final Instant START = Instant.parse("2026-12-05T16:00:00Z");

    private final List<LockOrderAggregate> written = new ArrayList<>();

    @Test
    void aLockAtTheActivitysStartNeverOpensATeamBeforeIt() {
        // The first reading 1 ms before the start, the next 1 ms after it.
        MutableClock clock = new MutableClock(START.minusMillis(1));
        clock.advanceAtEveryReading(Duration.ofMillis(2));

        Throwable refused =
                catchThrowable(() -> service(clock).lock(LockServices.command().build()));

        if (refused != null) {
            assertThat(refused)
                    .isInstanceOfSatisfying(
                            AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0102.getCode()));
        }
        assertThat(written)
                .as("a team opened by a lock the activity admitted starts within the activity's window")
                .allSatisfy(lock -> assertThat(lock.getValidStartTime()).isAfterOrEqualTo(START));
        assertThat(written.size() + (refused == null ? 0 : 1)).isEqualTo(1);
    }

    private TradeLockService service(Clock clock) {
        return LockServices.over(
                new IndexGroupBuyMarketService(
                        configuration(), () -> new MarketSwitchesVO(false, 100), (tag, s, c, u) -> false, clock),
                repository(),
                new InMemoryPlaces(),
                LockServices.allowedTargets());
    }

    /** Goods g1 of s01/c01 in activity 7 from {@link #START} for a day, 20 off 100.00, teams of 3 for 15 minutes. */
    private static IActivityRepository configuration() {
        ActivityVO activity = ActivityVO.builder()
                .activityId(7L)
                .discountId("d")
                .status(ActivityStatus.EFFECTIVE)
                .takeLimitCount(1)
                .target(3)
                .validTimeMinutes(15)
                .startTime(START)
                .endTime(START.plus(Duration.ofDays(1)))
                .tagScopes(Set.of())
                .build();
        DiscountVO discount = DiscountVO.builder()
                .discountId("d")
                .discountType(DiscountType.BASE)
                .marketPlan("ZJ")
                .marketExpr("20")
                .build();
        SkuVO sku = SkuVO.builder()
                .goodsId("g1")
                .goodsName("g")
                .originalPrice(new BigDecimal("100.00"))
                .build();
        return new IActivityRepository() {
            @Override
            public MarketConfigVO queryMarketConfig(String source, String channel, String goodsId) {
                return new MarketConfigVO(7L, activity, discount, sku);
            }
        };
    }

    private ITradeRepository repository() {
        return new ITradeRepository() {
            @Override
            public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
                return null;
            }

            @Override
            public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId) {
                return new LockLookupVO(null, 0, null);
            }

            @Override
            public MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate) {
                written.add(aggregate);
                return LockServices.written(aggregate);
            }
        };
    }
}
