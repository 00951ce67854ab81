package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The close-check consumer's record discipline (#15) over an in-memory store: a first delivery writes its record with
 * the attempt already counted and marks it done inside the close's own transaction (two record statements, one
 * commit with the close); a redelivery reads the record and counts its attempt under the version it read; a message
 * out of attempts goes to the dead letters.
 */
class CloseCheckServiceTest {

    private static final Instant END = Instant.parse("2030-01-01T00:00:00Z");

    private final InMemoryTradeStore store = new InMemoryTradeStore();
    private final Records records = new Records();
    private final List<String> callsInClose = new ArrayList<>();
    private final CloseCheckService service = new CloseCheckService(
            records, store, refunds(), null, policy(), Clock.systemUTC(), 3, Duration.ofSeconds(5), task -> {
                throw new AssertionError("every check here is due: none is published again");
            });

    /** The unpaid timeout: the locks below were taken that long ago (and 10 ms), so their checks are due. */
    private static CloseCheckPolicy policy() {
        return new CloseCheckPolicy(true, Duration.ofMinutes(15), Duration.ofSeconds(60), PaymentGrace.none());
    }

    private TradeRefundService refunds() {
        ITeamPlaceReservation reservation = (ITeamPlaceReservation) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ITeamPlaceReservation.class},
                (proxy, method, args) -> null);
        // Records what the record repository was asked while the close's transaction ran.
        InMemoryTradeStore closing = store;
        return new TradeRefundService(
                new InMemoryTradeStore() {
                    @Override
                    public MemberOrderView queryOrderById(String id) {
                        return closing.queryOrderById(id);
                    }

                    @Override
                    public List<Long> refund(MemberRefund refund, Runnable alsoInTransaction) {
                        int before = records.calls.size();
                        List<Long> ids = closing.refund(refund, alsoInTransaction);
                        callsInClose.addAll(records.calls.subList(before, records.calls.size()));
                        return ids;
                    }
                },
                reservation,
                id -> {},
                (source, channel) -> true,
                new NotifyRoutes(true, Map.of(), (s, c) -> null));
    }

    private ConsumeOutcome deliver(String user) {
        store.order(user).lockTime = Instant.now().minusMillis(10).minus(Duration.ofMinutes(15));
        CloseCheckVO check = CloseCheckVO.unpaidOrder(
                store.order(user).teamId,
                store.order(user).orderId,
                Instant.now().minusMillis(10),
                Duration.ZERO);
        return service.consume("msg-" + user, "q", "{}", check, null);
    }

    @Test
    void aFirstDeliveryCountsItsAttemptWithTheRecordAndMarksItDoneWithTheClose() {
        store.openTeam("t-1", 3, END, "u1");

        ConsumeOutcome outcome = deliver("u1");

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(records.calls).containsExactly("openStarted msg-u1", "markSuccess msg-u1 v1");
        assertThat(callsInClose).as("marked done in the close's transaction").containsExactly("markSuccess msg-u1 v1");
    }

    /**
     * A deadline whose lateness no long holds (near {@code Long.MIN_VALUE} ms): its close is done, and said so. On main
     * the log line after the close threw ArithmeticException, a committed close counted as a failed attempt (RETRY).
     */
    @Test
    void aCloseIsDoneWhateverItsLatenessInTheLog() {
        store.openTeam("t-1", 3, END, "u1");
        store.order("u1").lockTime = Instant.now().minusMillis(10).minus(Duration.ofMinutes(15));
        CloseCheckVO check = CloseCheckVO.unpaidOrder(
                store.order("u1").teamId,
                store.order("u1").orderId,
                Instant.ofEpochMilli(Long.MIN_VALUE),
                Duration.ZERO);

        ConsumeOutcome outcome = service.consume("msg-u1", "q", "{}", check, null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(records.calls).containsExactly("openStarted msg-u1", "markSuccess msg-u1 v1");
    }

    @Test
    void aRedeliveryCountsAnotherAttemptUnderTheVersionItRead() {
        store.openTeam("t-1", 3, END, "u1");
        records.existing = new ConsumptionRecordVO(
                "close_check", "msg-u1", "q", "{}", ConsumptionRecordVO.PROCESSING, 1, 2, "boom", null, null);

        ConsumeOutcome outcome = deliver("u1");

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(records.calls)
                .containsExactly(
                        "openStarted msg-u1", "open msg-u1", "startAttempt msg-u1 v2", "markSuccess msg-u1 v3");
    }

    @Test
    void aMessageOutOfAttemptsIsDeadLetteredWithoutClosing() {
        store.openTeam("t-1", 3, END, "u1");
        records.existing = new ConsumptionRecordVO(
                "close_check", "msg-u1", "q", "{}", ConsumptionRecordVO.PROCESSING, 3, 6, "boom", null, null);

        ConsumeOutcome outcome = deliver("u1");

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DEAD);
        assertThat(outcome.reason()).contains("out of attempts; last error: boom");
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
    }

    /** A routing key longer than the record's column (AMQP allows 255 bytes) is kept cut, not refused by the insert. */
    @Test
    void aRoutingKeyLongerThanTheRecordHoldsIsKeptCut() {
        store.openTeam("t-1", 3, END, "u1");
        records.existing = new ConsumptionRecordVO(
                "close_check", "msg-u1", "q", "{}", ConsumptionRecordVO.PROCESSING, 1, 2, "boom", null, null);
        store.order("u1").lockTime = Instant.now().minusMillis(10).minus(Duration.ofMinutes(15));
        CloseCheckVO check = CloseCheckVO.unpaidOrder(
                store.order("u1").teamId,
                store.order("u1").orderId,
                Instant.now().minusMillis(10),
                Duration.ZERO);

        ConsumeOutcome outcome = service.consume("msg-u1", "r".repeat(200), "{}", check, null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(records.routingKeys).containsExactly("r".repeat(128), "r".repeat(128));
    }

    @Test
    void aCheckOfAnOrderAlreadyClosedWritesNoRecord() {
        store.openTeam("t-1", 3, END, "u1");
        store.order("u1").status = OrderStatus.CLOSED.code();

        assertThat(deliver("u1").action()).isEqualTo(ConsumeOutcome.Action.DUPLICATE);
        assertThat(records.calls).isEmpty();
    }

    /**
     * A body that could not be read can never succeed: dead-lettered at its first attempt, saying why. Its record says
     * so once the copy lands on the dead-letter queue, and keeps the reason as its last error while the copy does not.
     */
    @Test
    void aMalformedCheckIsDeadLetteredAtOnceAndItsRecordKeepsWhy() {
        ConsumeOutcome outcome = service.consume("msg-x", "q", "garbage", null, "not JSON");

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DEAD);
        assertThat(outcome.reason()).isEqualTo("malformed: not JSON");
        assertThat(outcome.attempts()).isOne();

        service.deadLetterNotCopied("msg-x", outcome);
        service.deadLettered("msg-x", outcome);
        assertThat(records.calls).containsExactly("openStarted msg-x", "recordFailure msg-x", "markFailed msg-x");
    }

    /** A check naming an order its team does not hold (a poison message) is dead-lettered, nothing closed. */
    @Test
    void aCheckOfAnOrderNotInItsTeamIsDeadLettered() {
        store.openTeam("t-1", 3, END, "u1");
        CloseCheckVO check =
                CloseCheckVO.unpaidOrder("t-1", "o-nobody", Instant.now().minusMillis(10), Duration.ZERO);

        ConsumeOutcome outcome = service.consume("msg-x", "q", "{}", check, null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DEAD);
        assertThat(outcome.reason()).isEqualTo("no order o-nobody in team t-1");
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
    }

    /** A message without an id can have no record: dead-lettered at once, no attempt counted, nothing written. */
    @Test
    void aCheckWithoutAMessageIdIsDeadLetteredWithNoRecord() {
        store.openTeam("t-1", 3, END, "u1");
        CloseCheckVO check =
                CloseCheckVO.unpaidOrder("t-1", "o-u1", Instant.now().minusMillis(10), Duration.ZERO);

        ConsumeOutcome outcome = service.consume(" ", "q", "{}", check, null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DEAD);
        assertThat(outcome.reason()).startsWith("no message id");
        assertThat(outcome.attempts()).isZero();
        assertThat(records.calls).isEmpty();
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
    }

    /** A consumer allowed no attempt could never close anything: refused at start; one attempt is allowed. */
    @Test
    void aConsumerWithNoAttemptIsRefusedAtStart() {
        assertThatThrownBy(() -> consumer(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1");
        assertThatCode(() -> consumer(1)).doesNotThrowAnyException();
    }

    private CloseCheckService consumer(int maxAttempts) {
        return new CloseCheckService(
                records, store, refunds(), null, policy(), Clock.systemUTC(), maxAttempts, Duration.ZERO, null);
    }

    /** One message's record: none until written, or {@link #existing}; records every call. */
    static final class Records implements IConsumptionRecordRepository {
        final List<String> calls = new ArrayList<>();
        final List<String> routingKeys = new ArrayList<>();
        ConsumptionRecordVO existing;

        @Override
        public boolean openStarted(String consumer, String messageId, String routingKey, String body) {
            calls.add("openStarted " + messageId);
            routingKeys.add(routingKey);
            return existing == null;
        }

        @Override
        public ConsumptionRecordVO open(String consumer, String messageId, String routingKey, String body) {
            calls.add("open " + messageId);
            routingKeys.add(routingKey);
            return existing;
        }

        @Override
        public boolean startAttempt(String consumer, String messageId, int version) {
            calls.add("startAttempt " + messageId + " v" + version);
            return true;
        }

        @Override
        public boolean markSuccess(String consumer, String messageId, int version) {
            calls.add("markSuccess " + messageId + " v" + version);
            return true;
        }

        @Override
        public boolean recordFailure(String consumer, String messageId, int version, String error) {
            calls.add("recordFailure " + messageId);
            return true;
        }

        @Override
        public boolean markFailed(String consumer, String messageId, int version, String reason) {
            calls.add("markFailed " + messageId);
            return true;
        }

        @Override
        public List<ConsumptionRecordVO> list(Integer status, int offset, int limit) {
            return List.of();
        }
    }
}
