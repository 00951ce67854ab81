package com.groupbuy.market.domain.trade.service.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.RefundMessageVO;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.PlacesGivenBack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our consumer of refund events gives a place back only for the order the event names, closed in the database, and
 * answers each delivery by its consumption record. Over an in-memory store, record and reservation.
 */
class RefundPlaceReturnServiceTest {

    private static final Instant END = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryTradeStore store = new InMemoryTradeStore();
    private final OneConsumptionRecord records = new OneConsumptionRecord();
    private final List<String> released = new ArrayList<>();
    private final RefundPlaceReturnService service = service(3);

    private RefundPlaceReturnService service(int maxAttempts) {
        return new RefundPlaceReturnService(records, store, PlacesGivenBack.recordedIn(released), maxAttempts);
    }

    private static RefundMessageVO event(String team, String user, String order, String outTradeNo) {
        return new RefundMessageVO("unpaid_unlock", user, team, 7L, order, outTradeNo);
    }

    private ConsumeOutcome consume(RefundMessageVO refund) {
        return service.consume("m1", "rk", "{}", refund, null);
    }

    @Test
    void atLeastOneAttemptIsRequired() {
        assertThatThrownBy(() -> service(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(service(1)).isNotNull();
    }

    @Test
    void aClosedOrdersPlaceIsGivenBackAndItsRecordMarkedDone() {
        store.openTeam("t-1", 3, END, "u1");
        store.order("u1").status = OrderStatus.CLOSED.code();

        ConsumeOutcome outcome = consume(event("t-1", "u1", "o-u1", "out-u1"));

        assertThat(outcome).isEqualTo(ConsumeOutcome.done(1));
        assertThat(released).containsExactly("t-1/o-u1");
        assertThat(records.status).isEqualTo(ConsumptionRecordVO.SUCCESS);
    }

    /** A paid member of an expired team keeps its order and its place: nothing is given back, the message is done. */
    @Test
    void anOrderNotClosedKeepsItsPlace() {
        store.openTeam("t-1", 3, END, "u1");
        store.order("u1").status = OrderStatus.PAID.code();

        assertThat(consume(event("t-1", "u1", "o-u1", "out-u1"))).isEqualTo(ConsumeOutcome.done(1));

        assertThat(released).isEmpty();
        assertThat(records.status).isEqualTo(ConsumptionRecordVO.SUCCESS);
    }

    /** An event naming another team, user or out trade number than the order holds gives nothing back: retried. */
    @Test
    void anEventThatDoesNotMatchItsOrderGivesNothingBackAndIsRetried() {
        store.openTeam("t-1", 3, END, "u1");
        store.order("u1").status = OrderStatus.CLOSED.code();

        List<RefundMessageVO> mismatches = List.of(
                event("t-1", "u1", "o-none", "out-u1"),
                event("t-2", "u1", "o-u1", "out-u1"),
                event("t-1", "u2", "o-u1", "out-u1"),
                event("t-1", "u1", "o-u1", "out-u2"));
        for (RefundMessageVO mismatch : mismatches) {
            records.reset();
            ConsumeOutcome outcome = consume(mismatch);
            assertThat(outcome.action()).as(mismatch.toString()).isEqualTo(ConsumeOutcome.Action.RETRY);
            assertThat(outcome.reason()).startsWith("IllegalStateException: no order ");
            assertThat(records.lastError).isEqualTo(outcome.reason());
        }
        assertThat(released).isEmpty();
    }

    @Test
    void theLastAttemptsFailureIsDueForTheDeadLetters() {
        records.attempts = 2;

        ConsumeOutcome outcome = consume(event("t-1", "u1", "o-none", "out-u1"));

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DEAD);
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(records.lastError).as("written once the copy lands").isNull();
    }

    @Test
    void aMessageWithoutAnIdIsDeadAtOnceWithNoRecord() {
        ConsumeOutcome outcome = service.consume(null, "rk", "{}", event("t-1", "u1", "o-u1", "out-u1"), null);

        assertThat(outcome).isEqualTo(ConsumeOutcome.dead(ConsumptionAttempts.unrecordable(null), 0, -1));
        assertThat(records.opened).isZero();
    }

    @Test
    void aMessageDoneBeforeIsADuplicate() {
        records.status = ConsumptionRecordVO.SUCCESS;

        assertThat(consume(event("t-1", "u1", "o-u1", "out-u1")).action()).isEqualTo(ConsumeOutcome.Action.DUPLICATE);
        assertThat(released).isEmpty();
    }

    @Test
    void aMalformedMessageIsDeadWithItsAttemptAndVersion() {
        ConsumeOutcome outcome = service.consume("m1", "rk", "{", null, "not JSON");

        assertThat(outcome).isEqualTo(ConsumeOutcome.dead("malformed: not JSON", 1, 1));
    }

    @Test
    void theDeadLetterCopysFateIsWrittenToTheRecord() {
        ConsumeOutcome dead = ConsumeOutcome.dead("malformed: not JSON", 1, 1);
        records.version = 1;

        service.deadLetterNotCopied("m1", dead);
        assertThat(records.lastError).isEqualTo("malformed: not JSON");

        service.deadLettered("m1", ConsumeOutcome.dead("malformed: not JSON", 1, 2));
        assertThat(records.status).isEqualTo(ConsumptionRecordVO.FAIL);
    }
}
