package com.groupbuy.market.domain.trade.service.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.LockedOrders;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.service.guard.RateGuards;
import com.groupbuy.market.domain.trade.service.guard.TradeRateGuard;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A committed write is never answered as an error: the retry of a lock whose first attempt committed (its answer lost)
 * is answered its order while Redis — the rate buckets, the place counters — is unavailable, since a repeat needs the
 * database alone; a new order is still refused E0401 with nothing priced, reserved or written (a join meeting Redis
 * down at its place; an opening needs no Redis place before its row commits, #19), and another partner's order under
 * the same user and out trade number is no repeat of the caller's. Over in-memory ports.
 */
class TradeLockServiceRedisOutageTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private final Repository repository = new Repository();
    private final InMemoryPlaces places = new InMemoryPlaces();
    private final List<String> hostsAsked = new ArrayList<>();
    private int trials;

    @Test
    void aRetryOfACommittedLockIsAnsweredItsOrderWhileTheRatesCannotBeCounted() {
        MarketPayOrderEntity committed = repository.commit(key("s01", "c01"), LockedOrders.g1InActivity7());

        assertThat(service(RateGuards.redisDown()).lock(lock("s01", "c01", "g1")))
                .isSameAs(committed);
        assertThat(repository.reads).as("one read by the order's key").containsExactly("order");
        assertThat(trials + repository.writes + hostsAsked.size()).isZero();
        assertThat(places.counters).isEmpty();
    }

    @Test
    void aRepeatWhileTheRatesCannotBeCountedIsAnsweredByTheRepeatRules() {
        MarketPayOrderEntity committed = LockedOrders.g1InActivity7();
        repository.commit(key("s01", "c01"), committed);
        TradeLockService service = service(RateGuards.redisDown());

        assertThatThrownBy(() -> service.lock(lock("s01", "c01", "g2")))
                .isInstanceOfSatisfying(AppException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(ResponseCode.UNIQUE_KEY_CONFLICT.getCode());
                    assertThat(e.getInfo()).contains("goodsId g1, asked g2");
                });
        repository.commit(
                key("s01", "c01"),
                MarketPayOrderEntity.builder()
                        .orderId(committed.getOrderId())
                        .teamId(committed.getTeamId())
                        .activityId(7L)
                        .goodsId("g1")
                        .status(OrderStatus.PAID.code())
                        .build());
        assertThatThrownBy(() -> service.lock(lock("s01", "c01", "g1")))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0201.getCode()));
        assertThat(trials + repository.writes).isZero();
    }

    @Test
    void aNewLockWhileTheRatesCannotBeCountedIsRefusedWithNothingPricedReservedOrWritten() {
        assertThatThrownBy(() -> service(RateGuards.redisDown()).lock(lock("s01", "c01", "g1")))
                .isInstanceOfSatisfying(
                        DependencyUnavailableException.class,
                        e -> assertThat(e.isRedis()).isTrue());
        assertThat(repository.reads).containsExactly("order");
        assertThat(trials + repository.writes + hostsAsked.size()).isZero();
        assertThat(places.opened).isEmpty();
    }

    @Test
    void anotherPartnersOrderUnderTheSameUserAndOutTradeNoIsNoRepeat() {
        repository.commit(key("s02", "c02"), LockedOrders.g1InActivity7());

        assertThatThrownBy(() -> service(RateGuards.redisDown()).lock(lock("s01", "c01", "g1")))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(repository.writes).isZero();
    }

    @Test
    void aRepeatOverItsRateIsStill0006WithNothingRead() {
        repository.commit(key("s01", "c01"), LockedOrders.g1InActivity7());
        TradeRateGuard full = RateGuards.limitedBy(new ITradeRateLimiter() {
            @Override
            public boolean tryAcquirePair(String source, String channel, int perSecond) {
                return false;
            }

            @Override
            public boolean tryAcquireUser(String source, String channel, String userId, int perSecond) {
                return false;
            }
        });

        assertThatThrownBy(() -> service(full).lock(lock("s01", "c01", "g1")))
                .isInstanceOfSatisfying(
                        AppException.class,
                        e -> assertThat(e.getCode()).isEqualTo(ResponseCode.RATE_LIMITER.getCode()));
        assertThat(repository.reads).isEmpty();
    }

    @Test
    void aRetryRacingItsFirstAttemptIsAnsweredThatOrderWhenRedisFailsAtItsPlace() {
        // The lookup ran before the first attempt committed; Redis failed before this retry's place was reserved.
        MarketPayOrderEntity committed = repository.commit(key("s01", "c01"), LockedOrders.g1InActivity7());
        repository.lookupSeesNothing = true;
        places.failing = RateGuards.outage();

        assertThat(service(RateGuards.none()).lock(join("s01", "c01", "g1"))).isSameAs(committed);
        assertThat(repository.reads).containsExactly("lookup", "order");
        assertThat(repository.writes).isZero();
    }

    @Test
    void aNewLockMeetingRedisDownAtItsPlaceIsRefusedAndADatabaseOutageIsNotReadAgain() {
        places.failing = RateGuards.outage();
        TradeLockService service = service(RateGuards.none());
        assertThatThrownBy(() -> service.lock(join("s01", "c01", "g1")))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(repository.writes).isZero();

        repository.reads.clear();
        places.failing = new DependencyUnavailableException("database", "breaker open", null);
        assertThatThrownBy(() -> service.lock(join("s01", "c01", "g1"))).isSameAs(places.failing);
        assertThat(repository.reads).containsExactly("lookup");
    }

    private TradeLockService service(TradeRateGuard rateGuard) {
        return LockServices.over(
                product -> {
                    trials++;
                    return LockServices.trial(product, NOW, 5).build();
                },
                repository,
                places,
                LockServices.targets(true, (host, source, channel) -> {
                    hostsAsked.add(host);
                    return null;
                }),
                rateGuard);
    }

    private static PartnerOrderKey key(String source, String channel) {
        return new PartnerOrderKey(source, channel, "u1", "out-1");
    }

    private static LockOrderCommand lock(String source, String channel, String goodsId) {
        return LockServices.command()
                .source(source)
                .channel(channel)
                .goodsId(goodsId)
                .build();
    }

    /** A lock joining the open team 10000001 (the committed order's) (the only kind that meets Redis before its write). */
    private static LockOrderCommand join(String source, String channel, String goodsId) {
        return LockServices.command()
                .source(source)
                .channel(channel)
                .goodsId(goodsId)
                .teamId("10000001")
                .build();
    }

    /** The orders committed, by their partner's whole key. */
    private static final class Repository implements ITradeRepository {
        final Map<PartnerOrderKey, MarketPayOrderEntity> orders = new HashMap<>();
        final List<String> reads = new ArrayList<>();
        boolean lookupSeesNothing;
        int writes;

        MarketPayOrderEntity commit(PartnerOrderKey key, MarketPayOrderEntity order) {
            orders.put(key, order);
            return order;
        }

        @Override
        public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
            reads.add("order");
            return orders.get(key);
        }

        @Override
        public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId) {
            reads.add("lookup");
            return new LockLookupVO(
                    lookupSeesNothing ? null : orders.get(key),
                    0,
                    teamId == null ? null : LockServices.openTeam("10000001", NOW));
        }

        @Override
        public MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate) {
            writes++;
            throw new AssertionError("no lock is written here");
        }
    }
}
