package com.groupbuy.market.domain.trade.service.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import org.junit.jupiter.api.Test;

/** A message due for the dead letters whose copy did not land: what its record keeps, and what the next delivery says. */
class ConsumptionAttemptsTest {

    private static final String CONSUMER = "c";
    private static final String ID = "m1";

    private final OneConsumptionRecord records = new OneConsumptionRecord();

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

    /** The record's message id column holds 64 characters: an id it cannot hold, or none, goes to the dead letters. */
    @Test
    void anIdUpToSixtyFourCharactersIsRecordableAndNoneOrALongerOneIsNot() {
        assertThat(ConsumptionAttempts.unrecordable("m".repeat(64))).isNull();
        assertThat(ConsumptionAttempts.unrecordable("m".repeat(65)))
                .isEqualTo("message id longer than 64 characters: no consumption record can be kept for it");
        assertThat(ConsumptionAttempts.unrecordable(null))
                .isEqualTo("no message id: no consumption record can be kept for it");
        assertThat(ConsumptionAttempts.unrecordable(" ")).isEqualTo(ConsumptionAttempts.unrecordable(null));
    }

    /** Version 0 is a record's first version (a message dead on its first delivery): its outcome is written too. */
    @Test
    void anOutcomeOfTheRecordsFirstVersionIsWritten() {
        ConsumptionAttempts.notCopied(records, CONSUMER, ID, ConsumeOutcome.dead("malformed", 1, 0));
        assertThat(records.lastError).isEqualTo("malformed");

        ConsumptionAttempts.deadLettered(records, CONSUMER, ID, ConsumeOutcome.dead("malformed", 1, 0));
        assertThat(records.failedWith).isEqualTo("malformed");
        assertThat(records.writes).isEqualTo(2);

        ConsumptionAttempts.deadLettered(records, CONSUMER, ID, ConsumeOutcome.dead("no message id", 0, -1));
        assertThat(records.writes).as("no record: nothing written").isEqualTo(2);
    }

    /** The last attempt's failure is due for the dead letters, written once its copy lands; an earlier one retries. */
    @Test
    void aFailureOfTheLastAttemptIsDeadAndAnEarlierOneIsRecordedAndRetried() {
        IllegalStateException error = new IllegalStateException("boom");

        assertThat(ConsumptionAttempts.failed(records, CONSUMER, ID, 3, 5, 3, error))
                .isEqualTo(ConsumeOutcome.dead("IllegalStateException: boom", 3, 5));
        assertThat(records.writes).isZero();

        assertThat(ConsumptionAttempts.failed(records, CONSUMER, ID, 2, 0, 3, error))
                .isEqualTo(ConsumeOutcome.retry("IllegalStateException: boom", 2));
        assertThat(records.lastError).isEqualTo("IllegalStateException: boom");
    }
}
