package com.groupbuy.market.domain.trade.service.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message due for the dead letters whose copy did not land: what its record keeps, and what the next delivery says. */
class ConsumptionAttemptsTest {

    private static final String CONSUMER = "c";
    private static final String ID = "m1";

    private final OneRecord records = new OneRecord();

    @Test
    void aMalformedMessageNotCopiedKeepsItsReasonAndItsLastDeliveryQuotesIt() {
        ConsumeOutcome dead = null;
        for (int delivery = 1; delivery <= 3; delivery++) {
            ConsumptionAttempts.Start start = ConsumptionAttempts.start(records, CONSUMER, ID, "rk", "x", 3);
            assertThat(start.started()).isTrue();
            dead = ConsumeOutcome.dead("malformed: body is not JSON", start.attempt(), start.version());
            ConsumptionAttempts.notCopied(records, CONSUMER, ID, dead);
        }
        assertThat(records.attempts).isEqualTo(3);
        assertThat(records.lastError).isEqualTo("malformed: body is not JSON");

        ConsumptionAttempts.Start fourth = ConsumptionAttempts.start(records, CONSUMER, ID, "rk", "x", 3);
        assertThat(fourth.started()).isFalse();
        assertThat(fourth.instead().action()).isEqualTo(ConsumeOutcome.Action.DEAD);
        assertThat(fourth.instead().reason()).isEqualTo("out of attempts; last error: malformed: body is not JSON");

        // Its copy failing too does not nest the reason: the record already holds the error it quotes.
        ConsumptionAttempts.notCopied(records, CONSUMER, ID, fourth.instead());
        assertThat(records.lastError).isEqualTo("malformed: body is not JSON");
        assertThat(ConsumptionAttempts.start(records, CONSUMER, ID, "rk", "x", 3)
                        .instead()
                        .reason())
                .isEqualTo("out of attempts; last error: malformed: body is not JSON");
    }

    /**
     * A redelivery that read the record just before another delivery of the message started its attempt: that delivery
     * may never answer for the message (its channel died), so this one is handed back, not acknowledged as a duplicate
     * with the record still processing (on main: DUPLICATE, and the message was gone).
     */
    @Test
    void aDeliveryThatLosesTheStartToAnotherIsHandedBackNotAcknowledged() {
        records.attempts = 1;
        records.version = 1;
        records.racer = () -> records.startAttempt(CONSUMER, ID, 1);

        ConsumptionAttempts.Start lost = ConsumptionAttempts.start(records, CONSUMER, ID, "rk", "x", 3);

        assertThat(lost.started()).isFalse();
        assertThat(lost.instead().action()).isEqualTo(ConsumeOutcome.Action.BUSY);
        assertThat(lost.instead().handedBack()).isTrue();
        assertThat(lost.instead().attempts()).as("no attempt counted for it").isZero();
        assertThat(records.attempts).as("the winner's attempt only").isEqualTo(2);
    }

    @Test
    void onlyADecidedRecordMakesADeliveryADuplicate() {
        records.status = 1;
        assertThat(ConsumptionAttempts.start(records, CONSUMER, ID, "rk", "x", 3)
                        .instead()
                        .action())
                .isEqualTo(ConsumeOutcome.Action.DUPLICATE);
        records.status = 2;
        assertThat(ConsumptionAttempts.start(records, CONSUMER, ID, "rk", "x", 3)
                        .instead()
                        .action())
                .isEqualTo(ConsumeOutcome.Action.DUPLICATE);
        records.status = 0;
        assertThat(ConsumptionAttempts.start(records, CONSUMER, ID, "rk", "x", 3)
                        .started())
                .isTrue();
    }

    /** A routing key longer than the record's column (AMQP allows 255 bytes) is kept cut, not refused by the insert. */
    @Test
    void aRoutingKeyLongerThanTheRecordHoldsIsKeptCut() {
        String longKey = "r".repeat(200);

        assertThat(ConsumptionAttempts.start(records, CONSUMER, ID, longKey, "x", 3)
                        .started())
                .isTrue();

        assertThat(records.routingKey).isEqualTo("r".repeat(128));
    }

    @Test
    void anOutcomeWithoutARecordWritesNothing() {
        ConsumptionAttempts.notCopied(records, CONSUMER, ID, ConsumeOutcome.dead("no message id", 0, -1));
        assertThat(records.writes).isZero();
    }

    /** One message's record in memory, changed only under the version it holds. */
    private static final class OneRecord implements IConsumptionRecordRepository {
        int status;
        int attempts;
        int version;
        String lastError;
        int writes;
        /** The routing key the record was last opened with. */
        String routingKey;
        /** Another delivery's start, run once between this delivery's read and its own start. */
        Runnable racer;

        @Override
        public ConsumptionRecordVO open(String consumer, String messageId, String routingKey, String body) {
            this.routingKey = routingKey;
            return new ConsumptionRecordVO(
                    consumer, messageId, routingKey, body, status, attempts, version, lastError, null, null);
        }

        @Override
        public boolean openStarted(String consumer, String messageId, String routingKey, String body) {
            return false;
        }

        @Override
        public boolean startAttempt(String consumer, String messageId, int version) {
            Runnable other = racer;
            racer = null;
            if (other != null) {
                other.run();
            }
            if (version != this.version) {
                return false;
            }
            attempts++;
            this.version++;
            return true;
        }

        @Override
        public boolean markSuccess(String consumer, String messageId, int version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean recordFailure(String consumer, String messageId, int version, String error) {
            writes++;
            if (version != this.version) {
                return false;
            }
            lastError = error;
            this.version++;
            return true;
        }

        @Override
        public boolean markFailed(String consumer, String messageId, int version, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ConsumptionRecordVO> list(Integer status, int offset, int limit) {
            return List.of();
        }
    }
}
