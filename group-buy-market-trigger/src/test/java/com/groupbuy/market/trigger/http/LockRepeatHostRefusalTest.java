package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.LockMarketPayOrderResponseDTO;
import com.groupbuy.market.api.dto.NotifyConfigVO;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.service.guard.TradeRateGuard;
import com.groupbuy.market.domain.trade.service.lock.NotifyTargetCheck;
import com.groupbuy.market.domain.trade.service.lock.TradeIds;
import com.groupbuy.market.domain.trade.service.lock.TradeLockService;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckPolicy;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.net.NotifyHostLookup;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The notifyUrl host's addresses are looked up at lock time, and a host's answer can change between a lock and its
 * retry (a name server slow or silent for a moment, a record moved, our lookups busy). A retry of a lock an earlier
 * attempt committed (its answer lost, the mall timed out) must get that order, as every repeat does: answered
 * {@code E0204}, the mall drops an order that holds its buyer's place and take until the unpaid timeout. The same for
 * an MQ lock retried while this instance runs with MQ switched off ({@code E0203}).
 */
class LockRepeatHostRefusalTest {

    private static final String URL = "https://mall.example/cb";

    /** The order the first attempt committed: it opened team 10000001 with {@link #URL}. */
    private MarketPayOrderEntity committed = MarketPayOrderEntity.builder()
            .orderId("100000000001")
            .teamId("10000001")
            .activityId(7L)
            .goodsId("g1")
            .status(OrderStatus.LOCKED.code())
            .payPrice(new BigDecimal("80.00"))
            .openedWith(new NotifySettings("HTTP", URL))
            .build();

    private int newLocks;
    private int reads;
    private int hostLookups;

    /** mall.example now resolves to a private address, which no new lock may name. */
    private final MarketTradeController controller = controller(host -> {
        hostLookups++;
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})};
    });

    @Test
    void aRetryOfACommittedLockIsAnsweredItsOrderWhenItsHostIsRefusedNow() {
        Response<LockMarketPayOrderResponseDTO> answer = controller.lockMarketPayOrder(lock("g1"));

        assertThat(answer.getCode()).isEqualTo("0000");
        assertThat(answer.getData().getOrderId()).isEqualTo("100000000001");
        assertThat(answer.getData().getTeamId()).isEqualTo("10000001");
        assertThat(answer.getData().getPayPrice()).isEqualByComparingTo("80.00");
        assertThat(newLocks).as("no new lock was tried").isZero();
        assertThat(hostLookups).as("a repeat's host is not looked up").isZero();
        assertThat(reads).as("the lock's own lookup only").isEqualTo(1);
    }

    @Test
    void aRetryOfACommittedLockIsAnsweredItsOrderWhenItsHostDoesNotResolveNow() {
        MarketTradeController silent = controller(host -> {
            throw new java.net.UnknownHostException(host);
        });

        assertThat(silent.lockMarketPayOrder(lock("g1")).getData().getOrderId()).isEqualTo("100000000001");
    }

    @Test
    void aRetryOfACommittedMqLockIsAnsweredItsOrderWhileMqIsSwitchedOff() {
        // The order was locked for MQ callbacks; this instance runs with gbm.mq.enabled=false (a restart, another
        // instance): the retry is answered its order, a new MQ lock is refused E0203.
        committed = MarketPayOrderEntity.builder()
                .orderId("100000000002")
                .teamId("10000002")
                .activityId(7L)
                .goodsId("g1")
                .status(OrderStatus.LOCKED.code())
                .openedWith(new NotifySettings("MQ", null))
                .build();

        assertThat(controller.lockMarketPayOrder(mqLock()).getData().getOrderId())
                .isEqualTo("100000000002");
        committed = null;
        assertThatThrownBy(() -> controller.lockMarketPayOrder(mqLock()))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0203.getCode()));
        assertThat(newLocks).isZero();
    }

    @Test
    void aRepeatAskingForOtherGoodsIsStillRefusedAsAConflict() {
        assertThatThrownBy(() -> controller.lockMarketPayOrder(lock("g2")))
                .isInstanceOfSatisfying(
                        AppException.class,
                        e -> assertThat(e.getCode()).isEqualTo(ResponseCode.UNIQUE_KEY_CONFLICT.getCode()));
    }

    @Test
    void aNewLockNamingARefusedHostIsRefusedAndNothingIsTried() {
        committed = null;

        assertThatThrownBy(() -> controller.lockMarketPayOrder(lock("g1")))
                .isInstanceOfSatisfying(AppException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(ResponseCode.E0204.getCode());
                    assertThat(e.getInfo()).contains("non-public");
                });
        assertThat(newLocks).isZero();
    }

    @Test
    void anMqLockOverItsRateIsRefused0006WithNothingReadWhileMqIsSwitchedOff() {
        // The rate guard is what keeps a partner's flood from the database: its MQ locks on an instance with MQ off
        // are refused 0006 like every other lock over the rate, before the lookup that would answer a repeat.
        LiveSwitchesVO oneAnHour = mock(LiveSwitchesVO.class);
        when(oneAnHour.userRate()).thenReturn(1);
        TradeRateGuard limited = new TradeRateGuard(mock(ITradeRateLimiter.class), () -> oneAnHour);
        committed = null;

        assertThatThrownBy(() -> controller(host -> new InetAddress[0], limited).lockMarketPayOrder(mqLock()))
                .isInstanceOfSatisfying(
                        AppException.class,
                        e -> assertThat(e.getCode()).isEqualTo(ResponseCode.RATE_LIMITER.getCode()));
        assertThat(reads).as("nothing read").isZero();
    }

    private MarketTradeController controller(NotifyHostLookup.Resolver resolver) {
        // Every rate 0 (a mock's answer): no limit, no bucket asked.
        return controller(
                resolver, new TradeRateGuard(mock(ITradeRateLimiter.class), () -> mock(LiveSwitchesVO.class)));
    }

    private MarketTradeController controller(NotifyHostLookup.Resolver resolver, TradeRateGuard guard) {
        NotifyUrlPolicy policy = new NotifyUrlPolicy(false, false, url -> true);
        NotifyHostLookup hosts = new NotifyHostLookup(
                policy, resolver, Duration.ofSeconds(1), 1, 1, 10, Duration.ZERO, Duration.ZERO, System::nanoTime);
        TradeLockService locks = new TradeLockService(
                product -> {
                    throw new AssertionError("a new lock was tried");
                },
                orders(),
                null,
                new TradeIds(),
                new CloseCheckPolicy(false, null, Duration.ZERO, PaymentGrace.none()),
                taskId -> {},
                null,
                new NotifyTargetCheck(new NotifyRoutes(false, Map.of(), (s, c) -> null), hosts::refusal),
                guard,
                (source, channel) -> true);
        return new MarketTradeController(locks, null, null, policy);
    }

    /** The database as the retry finds it: the first attempt's order, when there is one; a new lock is never written. */
    private ITradeRepository orders() {
        ITradeRepository orders = mock(ITradeRepository.class);
        when(orders.queryOrder(any())).thenAnswer(call -> {
            reads++;
            return committed;
        });
        when(orders.queryOrderAndLiveTakes(any(), any(), any())).thenAnswer(call -> {
            reads++;
            return new LockLookupVO(committed, 1, null);
        });
        when(orders.lockOrder(any())).thenAnswer(call -> {
            newLocks++;
            throw new AssertionError("a new lock was written");
        });
        return orders;
    }

    private static LockMarketPayOrderRequestDTO lock(String goodsId) {
        return new LockMarketPayOrderRequestDTO("u1", null, 7L, goodsId, "s01", "c01", "out-1", null, URL);
    }

    private static LockMarketPayOrderRequestDTO mqLock() {
        LockMarketPayOrderRequestDTO request = lock("g1");
        request.setNotifyUrl(null);
        request.setNotifyConfigVO(new NotifyConfigVO("MQ", null, null));
        return request;
    }
}
