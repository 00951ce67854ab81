package com.groupbuy.market.domain.trade.service.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks only a new order must pass (its callback target: MQ switched on here, the notifyUrl host's addresses
 * looked up now) and the repeat rule: a lock repeating an order is answered by the lock's own lookup, whatever those
 * checks would say at this moment, and they are asked only of a new order. Over in-memory ports: {@code atLookup} is
 * the order the lock's lookup finds, {@code committed} the one a later read finds (a racing first attempt's).
 */
class TradeLockServiceNewOrderCheckTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final String URL = "https://mall.example/cb";

    private final Repository repository = new Repository();
    private final InMemoryPlaces places = new InMemoryPlaces();
    /** The host check's answer now: null allows, else the refusal's text. */
    private String hostRefusal = "notifyUrl host resolves to a non-public address";

    private final List<String> hostsAsked = new ArrayList<>();
    private int trials;

    @Test
    void aRepeatIsAnsweredItsOrderWhileItsHostIsRefusedNowAndTheHostIsNotLookedUp() {
        repository.atLookup = order(new NotifySettings("HTTP", URL), OrderStatus.LOCKED);

        assertThat(service(true).lock(lock(URL))).isSameAs(repository.atLookup);
        assertThat(hostsAsked).as("no network lookup for a repeat").isEmpty();
        assertThat(repository.reads).as("the lock's lookup only").isEqualTo(1);
        assertThat(trials + repository.writes).isZero();
    }

    @Test
    void aRepeatOfAnMqOrderIsAnsweredItsOrderWhileMqIsSwitchedOff() {
        repository.atLookup = order(new NotifySettings("MQ", null), OrderStatus.LOCKED);

        assertThat(service(false).lock(mqLock())).isSameAs(repository.atLookup);
        assertThat(repository.reads).isEqualTo(1);
    }

    @Test
    void aRepeatStillAnswersTheRepeatRulesNotTheTargetsRefusal() {
        repository.atLookup = order(new NotifySettings("HTTP", URL), OrderStatus.LOCKED);
        assertThatThrownBy(() -> service(true).lock(lock("https://other.example/cb")))
                .isInstanceOfSatisfying(AppException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(ResponseCode.UNIQUE_KEY_CONFLICT.getCode());
                    assertThat(e.getInfo()).contains("notifyUrl " + URL);
                });

        repository.atLookup = order(new NotifySettings("HTTP", URL), OrderStatus.PAID);
        assertThatThrownBy(() -> service(true).lock(lock(URL)))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0201.getCode()));
        assertThat(hostsAsked).isEmpty();
    }

    @Test
    void aNewLockWhoseHostIsRefusedNowIsRefusedE0204BeforeItIsPricedOrWritten() {
        assertThatThrownBy(() -> service(true).lock(lock(URL))).isInstanceOfSatisfying(AppException.class, e -> {
            assertThat(e.getCode()).isEqualTo(ResponseCode.E0204.getCode());
            assertThat(e.getInfo()).isEqualTo(hostRefusal);
        });
        assertThat(hostsAsked).containsExactly("mall.example s01 c01");
        assertThat(trials + repository.writes).isZero();
        assertThat(places.opened).isEmpty();
    }

    @Test
    void aNewMqLockWhileMqIsSwitchedOffIsRefusedE0203BeforeItIsPricedOrWritten() {
        assertThatThrownBy(() -> service(false).lock(mqLock())).isInstanceOfSatisfying(AppException.class, e -> {
            assertThat(e.getCode()).isEqualTo(ResponseCode.E0203.getCode());
            assertThat(e.getInfo()).isEqualTo(NotifyTargetCheck.MQ_OFF);
        });
        assertThat(hostsAsked).isEmpty();
        assertThat(trials + repository.writes).isZero();
    }

    @Test
    void aRetryRefusedItsHostAfterItsFirstAttemptCommittedIsAnsweredThatOrder() {
        // The lookup ran before the first attempt committed; the host's answer changed before this retry asked it.
        repository.committed = order(new NotifySettings("HTTP", URL), OrderStatus.LOCKED);

        assertThat(service(true).lock(lock(URL))).isSameAs(repository.committed);
        assertThat(trials + repository.writes).isZero();
    }

    @Test
    void aNewLockWhoseTargetIsAllowedIsLockedAfterOneCheck() {
        hostRefusal = null;

        MarketPayOrderEntity locked = service(true).lock(lock(URL));

        assertThat(locked.getOrderId()).isNotNull();
        assertThat(hostsAsked).containsExactly("mall.example s01 c01");
        assertThat(repository.writes).isEqualTo(1);
        assertThat(service(true).lock(mqLock()).getOrderId())
                .as("MQ on: no host to look up")
                .isNotNull();
        assertThat(hostsAsked).hasSize(1);
    }

    private TradeLockService service(boolean mqEnabled) {
        return LockServices.over(
                product -> {
                    trials++;
                    return LockServices.trial(product, NOW, 5).build();
                },
                repository,
                places,
                LockServices.targets(mqEnabled, (host, source, channel) -> {
                    hostsAsked.add(host + " " + source + " " + channel);
                    return hostRefusal;
                }));
    }

    private static MarketPayOrderEntity order(NotifySettings openedWith, OrderStatus status) {
        return MarketPayOrderEntity.builder()
                .orderId("100000000001")
                .teamId("10000001")
                .activityId(7L)
                .goodsId("g1")
                .status(status.code())
                .payPrice(new BigDecimal("80.00"))
                .openedWith(openedWith)
                .build();
    }

    private static LockOrderCommand lock(String url) {
        return lock("HTTP", url);
    }

    private static LockOrderCommand mqLock() {
        return lock("MQ", null);
    }

    private static LockOrderCommand lock(String notifyType, String url) {
        return LockServices.command().notifyType(notifyType).notifyUrl(url).build();
    }

    private static final class Repository implements ITradeRepository {
        MarketPayOrderEntity atLookup;
        MarketPayOrderEntity committed;
        int reads;
        int writes;

        @Override
        public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
            reads++;
            return committed != null ? committed : atLookup;
        }

        @Override
        public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId) {
            reads++;
            return new LockLookupVO(atLookup, 0, null);
        }

        @Override
        public MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate) {
            writes++;
            return LockServices.written(aggregate);
        }
    }
}
