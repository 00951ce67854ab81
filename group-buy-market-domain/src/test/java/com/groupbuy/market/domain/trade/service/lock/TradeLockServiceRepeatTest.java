package com.groupbuy.market.domain.trade.service.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.repository.DuplicateOrderException;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.LockedOrders;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The paths of a lock that meet an order another attempt under the same out trade number committed after this one's
 * lookup found none: the out trade number's unique key, and the re-read after a refusal. Over in-memory ports: the
 * racer's order is what the database holds, the reservation counts places per team as the Redis scripts do.
 */
class TradeLockServiceRepeatTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    /** The order the racing first attempt committed: goods g1 in activity 7, team 10000001. */
    private final MarketPayOrderEntity racer = LockedOrders.g1InActivity7();

    private final Repository repository = new Repository();
    private final InMemoryPlaces places = new InMemoryPlaces();
    private AppException trialRefusal;

    private final TradeLockService service = LockServices.over(
            product -> {
                if (trialRefusal != null) {
                    throw trialRefusal;
                }
                return LockServices.trial(product, NOW, 1)
                        .originalPrice(new BigDecimal("300.00"))
                        .payPrice(new BigDecimal("280.00"))
                        .build();
            },
            repository,
            places,
            LockServices.allowedTargets());

    @Test
    void aRepeatForOtherGoodsMeetingTheOutTradeNoKeyIsRefusedWithNoCounterLeft() {
        assertThatThrownBy(() -> service.lock(lock("g2"))).isInstanceOfSatisfying(AppException.class, e -> {
            assertThat(e.getCode()).isEqualTo(ResponseCode.UNIQUE_KEY_CONFLICT.getCode());
            assertThat(e.getInfo()).contains("out-1").contains("goodsId g1, asked g2");
        });
        assertThat(repository.writes).isEqualTo(1);
        assertThat(places.opened).as("no counter before the team row committed").isEmpty();
        assertThat(places.counters).isEmpty();
    }

    @Test
    void theSameRequestMeetingTheOutTradeNoKeyIsAnsweredTheRacersOrder() {
        assertThat(service.lock(lock("g1"))).isSameAs(racer);
        assertThat(places.counters).isEmpty();
    }

    @Test
    void aRepeatForOtherGoodsRefusedByTheTrialIsRefusedAsAConflictNotAnsweredTheOrder() {
        trialRefusal = new AppException(ResponseCode.E0002);

        assertThatThrownBy(() -> service.lock(lock("g2")))
                .isInstanceOfSatisfying(
                        AppException.class,
                        e -> assertThat(e.getCode()).isEqualTo(ResponseCode.UNIQUE_KEY_CONFLICT.getCode()));
        assertThat(repository.writes).isZero();
        assertThat(places.opened).isEmpty();
    }

    private static LockOrderCommand lock(String goodsId) {
        return LockServices.command().goodsId(goodsId).build();
    }

    /** The lookup ran before the racer committed (no order); every write then meets the racer's out trade number. */
    private final class Repository implements ITradeRepository {
        int writes;

        @Override
        public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
            return racer;
        }

        @Override
        public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId) {
            return new LockLookupVO(null, 0, null);
        }

        @Override
        public MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate) {
            writes++;
            throw new DuplicateOrderException(DuplicateOrderException.Key.OUT_TRADE_NO, null);
        }
    }
}
