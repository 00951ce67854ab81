package com.groupbuy.market.domain.trade.service.refund;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.RefundCommand;
import com.groupbuy.market.domain.trade.model.entity.RefundResultEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.SourceChannelPolicy;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

/**
 * Refund: the order leaves its team with the effect its state calls for ({@link RefundType}), in one guarded
 * transaction that also writes the mall's callback. The partner's own order is read first, by the caller's whole key
 * (source, channel, user, out trade number, compared exactly): an order already closed (refunded, or closed unpaid by
 * a refund, a timeout or its team's expiry) answers {@code repeat} and changes nothing, whatever happened since (its
 * partner refused on settlement since, included): a committed refund is never answered as an error (an E0105 there
 * read as "refund refused", and the mall kept the money of a buyer no longer in the team). Then admission
 * (source/channel, then the order exists), so a refused partner learns nothing else (its live order, a number it never
 * locked, another partner's order: E0105). When a settlement or another refund changes the order or team between our
 * read and our write, the write affects nothing and we decide again from what is there now. After commit the Redis
 * place is given back and the callback handed to delivery.
 */
@Slf4j
@Service
public class TradeRefundService {

    /** Reads and guarded writes tried before answering {@code fail}; each retry follows a real state change. */
    private static final int ATTEMPTS = 3;

    private final IRefundRepository repository;
    private final ITeamPlaceReservation reservation;
    private final INotifyDispatcher dispatcher;
    private final SourceChannelPolicy sourceChannelPolicy;
    private final NotifyRoutes routes;

    public TradeRefundService(
            IRefundRepository repository,
            ITeamPlaceReservation reservation,
            INotifyDispatcher dispatcher,
            SourceChannelPolicy sourceChannelPolicy,
            NotifyRoutes routes) {
        this.repository = repository;
        this.reservation = reservation;
        this.dispatcher = dispatcher;
        this.sourceChannelPolicy = sourceChannelPolicy;
        this.routes = routes;
    }

    public RefundResultEntity refund(RefundCommand command) {
        // Looked up by the caller's own source + channel: another mall's order is never found, so it can neither
        // learn of nor cancel it. The repeat of a refund (any closed order) is answered before any rule, the
        // black/allowlist (a live switch) included.
        MemberOrderView order = repository.queryOrder(command.orderKey());
        if (order != null && order.getOrderStatus() == OrderStatus.CLOSED) {
            return repeated(order);
        }
        if (!sourceChannelPolicy.admits(command.getSource(), command.getChannel())) {
            throw new AppException(ResponseCode.E0105);
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                order = repository.queryOrder(command.orderKey());
            }
            if (order == null) {
                throw new AppException(ResponseCode.E0104);
            }
            if (order.getOrderStatus() == OrderStatus.CLOSED) {
                return repeated(order);
            }
            RefundType type = RefundType.of(order.getOrderStatus(), order.getTeamStatus());
            if (refundOnce(order, type)) {
                return answer(order, RefundResultEntity.SUCCESS, type.getType() + ": " + type.getEffect());
            }
        }
        log.warn(
                "refund gave up outTradeNo={} order={} team={}: state kept changing",
                order.getOutTradeNo(),
                order.getOrderId(),
                order.getTeamId());
        return answer(order, RefundResultEntity.FAIL, "the order changed while refunding; retry");
    }

    /**
     * A closed order's refund repeated. Its place is given back in Redis here too ({@link #givePlaceBackOfClosed}:
     * once per order, never a second time after the refund's own release, the expiry's or the refund consumer's): a
     * refund whose commit answer was lost and could not be read back was answered E0401 and gave nothing back, yet it
     * had committed, and the mall's retry, answered {@code repeat}, was the only trade call left to find that out.
     * Before, Redis kept the place until the refund event was consumed or the reconciler came round, and meanwhile
     * refused a joiner the team row had a place for (E0008).
     */
    private RefundResultEntity repeated(MemberOrderView order) {
        log.info(
                "refund repeated outTradeNo={} order={} team={}",
                order.getOutTradeNo(),
                order.getOrderId(),
                order.getTeamId());
        givePlaceBackOfClosed(order);
        return answer(order, RefundResultEntity.REPEAT, "already closed or refunded; nothing changed");
    }

    /**
     * Gives back the place of an order found closed (a close check redelivered, the timeout job re-reading an order
     * whose close it could not confirm), once per order ({@link ITeamPlaceReservation#releaseOrder}: never a second
     * time after the close's own release, the expiry's, the refund consumer's or a refund repeat's). A close whose
     * commit answer was lost and could not be read back threw and gave nothing back, yet it had committed; the step
     * that next reads the order is the first to know. Only a closed order gives its place back (a closed order has left
     * its team's lock count); a Redis failure is logged, never thrown. True when this call gave the place back.
     */
    public boolean givePlaceBackOfClosed(MemberOrderView order) {
        return order.getOrderStatus() == OrderStatus.CLOSED
                && releaseCommittedPlace(order.getTeamId(), order.getOrderId());
    }

    /**
     * Closes a lock that was never paid (the timeout job). False when it was paid or closed meanwhile: a paid order is
     * never closed as unpaid.
     */
    public boolean closeUnpaid(MemberOrderView order) {
        return closeUnpaid(order, () -> {});
    }

    /**
     * {@link #closeUnpaid(MemberOrderView)}, with {@code alsoInTransaction} committed with the close (run only when it
     * closes).
     */
    public boolean closeUnpaid(MemberOrderView order, Runnable alsoInTransaction) {
        return order.getOrderStatus() == OrderStatus.LOCKED
                && refundOnce(order, RefundType.UNPAID_UNLOCK, alsoInTransaction);
    }

    /**
     * Fails a team still open past {@code endBefore} (the timeout job, a team's close check): the decision is the
     * team's own ({@link com.groupbuy.market.domain.trade.model.aggregate.Team#expire}), taken inside the expiry's
     * transaction on the rows it locked. Null when there was nothing to do. Places and callbacks are the caller's.
     */
    public TeamExpiryVO expireTeam(String teamId, Instant endBefore) {
        return expireTeam(teamId, endBefore, team -> {});
    }

    /**
     * As {@link #expireTeam(String, Instant)}; {@code seen} is given the team as the expiry read it under its lock (not
     * called when there is no such team), so a caller told "nothing to do" can tell a team no longer open from one not
     * yet due.
     */
    public TeamExpiryVO expireTeam(String teamId, Instant endBefore, Consumer<Team> seen) {
        return repository.expireTeam(teamId, endBefore, (team, members) -> {
            seen.accept(team);
            return team.expire(endBefore, members, routes);
        });
    }

    private boolean refundOnce(MemberOrderView order, RefundType type) {
        return refundOnce(order, type, null);
    }

    private boolean refundOnce(MemberOrderView order, RefundType type, Runnable alsoInTransaction) {
        List<Long> taskIds;
        try {
            MemberRefund refund = MemberRefund.of(order, type, routes);
            taskIds = alsoInTransaction == null
                    ? repository.refund(refund)
                    : repository.refund(refund, alsoInTransaction);
        } catch (AppException e) {
            if (ResponseCode.UPDATE_ZERO.getCode().equals(e.getCode())) {
                return false;
            }
            throw e;
        }
        // The fast path; the refund consumer gives the same place back if we die here, and never both (per order).
        releaseCommittedPlace(order.getTeamId(), order.getOrderId());
        taskIds.forEach(dispatcher::dispatchAsync);
        log.info(
                "refund outTradeNo={} order={} team={} type={} tasks={}",
                order.getOutTradeNo(),
                order.getOrderId(),
                order.getTeamId(),
                type.getType(),
                taskIds);
        return true;
    }

    /**
     * The refund is committed: Redis being down must not turn it into an error answer. The counter then stays one
     * high until the place reconciliation brings it back to the database's count.
     */
    private boolean releaseCommittedPlace(String teamId, String orderId) {
        try {
            return reservation.releaseOrder(teamId, orderId);
        } catch (RuntimeException e) {
            log.warn(
                    "refund committed but team={} place not given back in Redis ({}); reconciliation will",
                    teamId,
                    e.toString());
            return false;
        }
    }

    private static RefundResultEntity answer(MemberOrderView order, String code, String info) {
        return RefundResultEntity.builder()
                .userId(order.getUserId())
                .orderId(order.getOrderId())
                .teamId(order.getTeamId())
                .code(code)
                .info(info)
                .build();
    }
}
