package com.groupbuy.market.domain.trade.service.refund;

import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionStatus;
import com.groupbuy.market.types.text.LogSafeText;

/**
 * The discipline our consumers share for a delivery whose consumption record may already exist: a message done or
 * dead-lettered before is a duplicate, one out of attempts goes to the dead letters, and an attempt counts only if
 * its record did not change since it was read (a racing copy of the message loses, and is handed back: only a
 * decided record makes a delivery a duplicate).
 */
public final class ConsumptionAttempts {

    /** An attempt that may run (its number and the record version it holds), or the outcome to answer instead. */
    public record Start(int attempt, int version, ConsumeOutcome instead) {

        public boolean started() {
            return instead == null;
        }
    }

    /** The longest message id a consumption record holds ({@code mq_consumption_record.message_id}, characters). */
    public static final int MAX_MESSAGE_ID = 64;

    /** The most of a message's body a consumption record keeps, in characters. */
    public static final int MAX_BODY = 1024;

    /**
     * The most of a delivery's routing key a consumption record keeps ({@code mq_consumption_record.routing_key},
     * characters), for operators as the body. AMQP allows 255 bytes; the record's insert fails on a longer value (it
     * skips only a taken key), which would hand such a delivery back for ever, so it is cut here, in sight.
     */
    public static final int MAX_ROUTING_KEY = 128;

    /** The most of a failure's reason a consumption record and a dead-letter copy keep, in characters. */
    public static final int MAX_REASON = 500;

    /** How the answer for a message out of attempts begins; the rest quotes the last attempt's error. */
    static final String OUT_OF_ATTEMPTS = "out of attempts; last error: ";

    private ConsumptionAttempts() {}

    /**
     * Why no consumption record can be kept for a message with this id (it goes to the dead letters at once), or null.
     * An id longer than the record holds was stored cut by the record's INSERT IGNORE (a warning, not an error), so the
     * attempt found no record under the whole id and the delivery was acknowledged as a duplicate: dropped unhandled.
     * The insert now fails on it (only a taken key is skipped), which would hand the message back on every delivery.
     */
    public static String unrecordable(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            return "no message id: no consumption record can be kept for it";
        }
        if (messageId.codePointCount(0, messageId.length()) > MAX_MESSAGE_ID) {
            return "message id longer than " + MAX_MESSAGE_ID + " characters: no consumption record can be kept for it";
        }
        return null;
    }

    /** Opens (or reads) the message's record and counts this delivery's attempt under the version it read. */
    public static Start start(
            IConsumptionRecordRepository records,
            String consumer,
            String messageId,
            String routingKey,
            String body,
            int maxAttempts) {
        ConsumptionRecordVO record = records.open(consumer, messageId, cut(routingKey, MAX_ROUTING_KEY), body);
        if (record.state() == ConsumptionStatus.SUCCESS) {
            return refused(ConsumeOutcome.duplicate("done before"));
        }
        if (record.state() == ConsumptionStatus.FAIL) {
            return refused(ConsumeOutcome.duplicate("dead-lettered before"));
        }
        if (record.attempts() >= maxAttempts) {
            // The last attempt's outcome was never written (its process died): no attempt is left.
            return refused(
                    ConsumeOutcome.dead(OUT_OF_ATTEMPTS + record.lastError(), record.attempts(), record.version()));
        }
        if (!records.startAttempt(consumer, messageId, record.version())) {
            // Not a duplicate: the record is still processing as read, and the delivery that won may never answer for
            // the message (its channel gone, its attempt failing after, or its process dying). Acknowledged here, the
            // message was lost with the record left processing; handed back, its next delivery reads the outcome, or
            // starts the next attempt if there is none. Each hand-back needs another attempt's start, so they end.
            return refused(ConsumeOutcome.busy("another delivery of this message started an attempt meanwhile"));
        }
        return new Start(record.attempts() + 1, record.version() + 1, null);
    }

    /**
     * A message due for the dead-letter queue whose copy did not land stays processing, with the reason it was due as
     * its last error, so the delivery that finally copies it (out of attempts by then) still says why. An
     * out-of-attempts answer already quotes that error and is not written again.
     */
    public static void notCopied(
            IConsumptionRecordRepository records, String consumer, String messageId, ConsumeOutcome outcome) {
        if (outcome.version() >= 0 && !outcome.reason().startsWith(OUT_OF_ATTEMPTS)) {
            records.recordFailure(consumer, messageId, outcome.version(), outcome.reason());
        }
    }

    /**
     * An attempt that threw: out of attempts it is due for the dead letters (its record written once the copy lands,
     * {@link #deadLettered}); else its error is recorded under the version it holds, and the message comes back.
     */
    public static ConsumeOutcome failed(
            IConsumptionRecordRepository records,
            String consumer,
            String messageId,
            int attempt,
            int version,
            int maxAttempts,
            RuntimeException error) {
        // The error may quote the message (an order id it names): escaped, as it goes to the log, the record the admin
        // API shows and the dead-letter copy's header.
        String reason = cut(LogSafeText.of(error.getClass().getSimpleName() + ": " + error.getMessage()), MAX_REASON);
        if (attempt >= maxAttempts) {
            return ConsumeOutcome.dead(reason, attempt, version);
        }
        records.recordFailure(consumer, messageId, version, reason);
        return ConsumeOutcome.retry(reason, attempt);
    }

    /** The message's copy is on the dead-letter queue: its record says so, with the reason. */
    public static void deadLettered(
            IConsumptionRecordRepository records, String consumer, String messageId, ConsumeOutcome outcome) {
        if (outcome.version() >= 0) {
            records.markFailed(consumer, messageId, outcome.version(), outcome.reason());
        }
    }

    /** The text cut to {@code max} characters (a record's body and reason columns are bounded). */
    public static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static Start refused(ConsumeOutcome outcome) {
        return new Start(0, 0, outcome);
    }
}
