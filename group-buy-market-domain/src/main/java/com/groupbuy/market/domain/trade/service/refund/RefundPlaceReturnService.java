package com.groupbuy.market.domain.trade.service.refund;

import static com.groupbuy.market.domain.trade.service.refund.ConsumptionAttempts.MAX_BODY;
import static com.groupbuy.market.domain.trade.service.refund.ConsumptionAttempts.MAX_REASON;
import static com.groupbuy.market.domain.trade.service.refund.ConsumptionAttempts.cut;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.RefundMessageVO;
import com.groupbuy.market.types.text.LogSafeText;
import lombok.extern.slf4j.Slf4j;

/**
 * Our own consumer of refund events: gives the team's Redis place back for an order that left its team. It closes
 * the hole of a process that dies between a refund's commit and its after-commit release (the refund's task is in
 * the outbox, so its event is published later and lands here).
 * <p>
 * Exactly once, however often the broker redelivers: the consumption record (one per message id) bounds attempts
 * and keeps the outcome, so a done or dead-lettered message is only acknowledged again; and the release itself is
 * once per order ({@link ITeamPlaceReservation#releaseOrder}), so this consumer and the after-commit fast path never
 * both give a place back, whichever comes first, and a process dying between the release and the record's success
 * cannot lead to a second release either.
 * <p>
 * The database decides: a place is given back only for an order that is closed there (a refund or a close
 * decremented the team's lock count). A paid member of a team that expired keeps its order and the failed team its
 * counts, so its {@code paid_unformed} event gives nothing back.
 */
@Slf4j
public class RefundPlaceReturnService {

    /** The consumer's name in consumption records. */
    public static final String CONSUMER = "refund_place_return";

    private final IConsumptionRecordRepository records;
    private final IRefundRepository orders;
    private final ITeamPlaceReservation reservation;
    private final int maxAttempts;

    public RefundPlaceReturnService(
            IConsumptionRecordRepository records,
            IRefundRepository orders,
            ITeamPlaceReservation reservation,
            int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.records = records;
        this.orders = orders;
        this.reservation = reservation;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Handles one delivery. {@code refund} is null and {@code malformed} says why when the body could not be read:
     * such a message goes to the dead letters at once (no attempt could ever succeed).
     */
    public ConsumeOutcome consume(
            String messageId, String routingKey, String body, RefundMessageVO refund, String malformed) {
        String unrecordable = ConsumptionAttempts.unrecordable(messageId);
        if (unrecordable != null) {
            return ConsumeOutcome.dead(unrecordable, 0, -1);
        }
        ConsumptionAttempts.Start start =
                ConsumptionAttempts.start(records, CONSUMER, messageId, routingKey, cut(body, MAX_BODY), maxAttempts);
        if (!start.started()) {
            return start.instead();
        }
        int attempt = start.attempt();
        int version = start.version();
        if (refund == null) {
            return ConsumeOutcome.dead(cut("malformed: " + malformed, MAX_REASON), attempt, version);
        }
        try {
            boolean released = giveBack(refund);
            if (!records.markSuccess(CONSUMER, messageId, version)) {
                log.warn(
                        "refund message={} order={}: record changed during the attempt (the release is once per "
                                + "order regardless)",
                        LogSafeText.of(messageId),
                        LogSafeText.of(refund.orderId()));
            }
            log.info(
                    "refund message={} order={} team={} type={} attempt={} placeGivenBack={}",
                    LogSafeText.of(messageId),
                    LogSafeText.of(refund.orderId()),
                    LogSafeText.of(refund.teamId()),
                    refund.type(),
                    attempt,
                    released);
            return ConsumeOutcome.done(attempt);
        } catch (RuntimeException e) {
            ConsumeOutcome outcome =
                    ConsumptionAttempts.failed(records, CONSUMER, messageId, attempt, version, maxAttempts, e);
            if (outcome.action() == ConsumeOutcome.Action.DEAD) {
                return outcome;
            }
            log.warn(
                    "refund message={} order={} attempt={} of {} failed: {}",
                    LogSafeText.of(messageId),
                    LogSafeText.of(refund.orderId()),
                    attempt,
                    maxAttempts,
                    outcome.reason());
            return outcome;
        }
    }

    /** The listener could not copy the message to the dead-letter queue: it comes back, and its record keeps why. */
    public void deadLetterNotCopied(String messageId, ConsumeOutcome outcome) {
        ConsumptionAttempts.notCopied(records, CONSUMER, messageId, outcome);
    }

    /** The listener moved the message to the dead-letter queue: the record says so, with the reason. */
    public void deadLettered(String messageId, ConsumeOutcome outcome) {
        ConsumptionAttempts.deadLettered(records, CONSUMER, messageId, outcome);
        log.warn(
                "refund message={} dead-lettered after {} attempt(s): {}",
                LogSafeText.of(messageId),
                outcome.attempts(),
                outcome.reason());
    }

    private boolean giveBack(RefundMessageVO refund) {
        MemberOrderView order = orders.queryOrderById(refund.orderId());
        if (order == null
                || !order.getTeamId().equals(refund.teamId())
                || !order.getUserId().equals(refund.userId())
                || !order.getOutTradeNo().equals(refund.outTradeNo())) {
            throw new IllegalStateException(
                    "no order " + refund.orderId() + " of team " + refund.teamId() + " with that user and outTradeNo");
        }
        if (order.getOrderStatus() != OrderStatus.CLOSED) {
            // Not closed: it still holds its place in the database (a paid member of an expired team).
            return false;
        }
        return reservation.releaseOrder(order.getTeamId(), order.getOrderId());
    }
}
