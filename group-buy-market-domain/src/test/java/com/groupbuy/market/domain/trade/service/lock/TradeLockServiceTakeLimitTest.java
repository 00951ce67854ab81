package com.groupbuy.market.domain.trade.service.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.repository.DuplicateOrderException;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The take limit when a lock races another lock of the same buyer (another out trade number) and meets its take.
 * Over in-memory ports: {@code held} is the takes whose biz ids the database holds (committed), the lookup that
 * starts the lock ran before the racer committed.
 */
class TradeLockServiceTakeLimitTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private final Repository repository = new Repository();
    private final InMemoryPlaces places = new InMemoryPlaces();
    private int takeLimit;

    private final TradeLockService service = LockServices.over(
            product -> LockServices.trial(product, NOW, takeLimit).build(),
            repository,
            places,
            LockServices.allowedTargets());

    /**
     * The limit was 3 and is now 2; the buyer holds take 3 (takes 1 and 2 refunded). Two locks with two out trade
     * numbers read one live take each; the racer committed take 2. This one met take 2 held: the buyer now holds
     * two live orders, the limit, so it is refused rather than writing take 1 (three live orders).
     */
    @Test
    void aLockMeetingARacersTakeIsRefusedWhenTheRacerFilledTheLimitWithATakeAboveItHeld() {
        takeLimit = 2;
        repository.held.addAll(List.of(3, 2));
        repository.liveTakesAtLookup = 1;

        assertThatThrownBy(() -> service.lock(lock("out-2")))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0103.getCode()));
        assertThat(repository.held).as("live takes").containsExactly(2, 3);
        assertThat(places.counters).as("the team it opened is given back").isEmpty();
    }

    /** Take 2 held while take 1 was refunded: a lock starting at take 2 still takes the free take 1. */
    @Test
    void aLockMeetingAHeldTakeTakesAFreeOneBelowTheLimit() {
        takeLimit = 2;
        repository.held.add(2);
        repository.liveTakesAtLookup = 1;

        assertThat(service.lock(lock("out-2")).getOrderId()).isNotNull();
        assertThat(repository.held).containsExactly(1, 2);
    }

    /**
     * Limit 1: the racer's take 1 was met held, and was refunded before this lock counted again (one live take fewer
     * than the limit, yet every take of the limit tried). Whatever it answers, it never writes a take outside
     * 1..limit (found by mutation testing: `next > 0` made `next >= 0` wrote take 0, a take no limit counts).
     */
    @Test
    void aLockThatTriedEveryTakeOfTheLimitNeverWritesOneOutsideIt() {
        takeLimit = 1;
        repository.held.add(1);
        repository.liveTakesAtLookup = 0;
        repository.beforeRecount = () -> repository.held.remove(1);

        assertThatThrownBy(() -> service.lock(lock("out-2")))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0103.getCode()));
        assertThat(repository.held)
                .as("takes held")
                .allSatisfy(t -> assertThat(t).isBetween(1, takeLimit));
    }

    /**
     * A join refused for its take gives back the place it reserved (found by mutation testing: not giving it back
     * survived), else the team holds a place nobody has until the reconciler's sweep.
     */
    @Test
    void aJoinRefusedForItsTakeGivesItsPlaceBack() {
        takeLimit = 1;
        repository.held.add(1);
        repository.namedTeam = LockServices.openTeam("t-1", NOW);
        places.counters.put("t-1", new ArrayList<>(List.of("leader-holder")));

        assertThatThrownBy(() -> service.lock(
                        LockServices.command().teamId("t-1").outTradeNo("out-2").build()))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0103.getCode()));
        assertThat(places.counters.get("t-1")).containsExactly("leader-holder");
    }

    private static LockOrderCommand lock(String outTradeNo) {
        return LockServices.command().outTradeNo(outTradeNo).build();
    }

    /** The lookup's count is as it read before the racer committed; later reads count what the database holds. */
    private static final class Repository implements ITradeRepository {
        final Set<Integer> held = new TreeSet<>();
        int liveTakesAtLookup;
        int lookups;
        Runnable beforeRecount = () -> {};
        Team namedTeam;

        @Override
        public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
            return null;
        }

        @Override
        public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId) {
            if (lookups++ == 0) {
                return new LockLookupVO(null, liveTakesAtLookup, namedTeam);
            }
            beforeRecount.run();
            return new LockLookupVO(null, held.size(), null);
        }

        @Override
        public MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate) {
            if (!held.add(aggregate.getTakeSequence())) {
                throw new DuplicateOrderException(DuplicateOrderException.Key.TAKE, null);
            }
            return MarketPayOrderEntity.builder()
                    .orderId(aggregate.getOrderId())
                    .teamId(aggregate.getTeamId())
                    .activityId(7L)
                    .goodsId("g1")
                    .originalPrice(aggregate.getOriginalPrice())
                    .deductionPrice(aggregate.getDeductionPrice())
                    .payPrice(aggregate.getPayPrice())
                    .status(0)
                    .build();
        }
    }
}
