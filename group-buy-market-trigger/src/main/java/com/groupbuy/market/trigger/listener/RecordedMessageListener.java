package com.groupbuy.market.trigger.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.types.mq.AmqpShortString;
import com.groupbuy.market.types.text.LogSafeText;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * The manual-acknowledgement discipline our own consumers share (seed 003): a delivery is acknowledged only after its
 * outcome is recorded in the consumption record; a failed attempt is handed back to the broker (after a short pause)
 * for the next, and so is a delivery whose attempt another delivery of the message took first (it is acknowledged
 * only once the record says done or dead-lettered); a message that is malformed or out of attempts is copied to the dead-letter queue with the reason in
 * header {@value #DEAD_REASON_HEADER}, then acknowledged — only once the broker confirmed the copy, so a copy it lost
 * or could not route never takes the original with it. Subclasses read the body and hand it to their use case.
 */
@Slf4j
public abstract class RecordedMessageListener<T> implements ChannelAwareMessageListener {

    public static final String DEAD_REASON_HEADER = "x-gbm-dead-reason";
    public static final String ATTEMPTS_HEADER = "x-gbm-attempts";
    public static final String ORIGINAL_ROUTING_KEY_HEADER = "x-gbm-original-routing-key";
    /**
     * The message id, kept whole here when it cannot be the copy's message id: longer than an AMQP short string once
     * written (a bundle's check id of 256 characters; an id sent in bytes that are not UTF-8, which the client reads
     * as U+FFFD, three bytes each when written again).
     */
    public static final String MESSAGE_ID_HEADER = "x-gbm-message-id";
    /** The content type, kept here when it cannot be the copy's for the same reason. */
    public static final String CONTENT_TYPE_HEADER = "x-gbm-content-type";
    /** Names of the delivery's headers (or of tables nested in them) left off the copy: no short string holds them. */
    public static final String DROPPED_HEADERS_HEADER = "x-gbm-dropped-headers";

    /**
     * How long a dead-letter copy waits for the broker's confirm (as {@code gbm.mq.confirm-timeout}'s default); past it
     * the delivery is handed back and copied again on its next delivery: a copy twice rather than none.
     */
    static final long COPY_CONFIRM_MILLIS = 5_000;

    /** A copy's refusal when the broker confirmed it but routed it nowhere: the dead-letter queue is gone. */
    private static final String UNROUTED = "could not route its copy";

    protected final ObjectMapper json;
    private final RabbitTemplate copies;
    private final String what;
    private final String deadLetterQueue;
    private final Duration retryDelay;
    private final Map<ConsumeOutcome.Action, Counter> outcomes = new EnumMap<>(ConsumeOutcome.Action.class);
    private final Counter errors;
    /** Why the connection copies go out on is blocked by the broker (an alarm), or null. */
    private volatile Supplier<String> publisherBlocked = () -> null;
    /** Told of each copy that failed in the client (a channel's open that timed out may have left the channel). */
    private volatile Consumer<Throwable> copyFailed = failure -> {};
    /** Which failures of our side are outages, logged once each; none unless the app says ({@link #setOutages}). */
    private volatile OutageLog outages = OutageLog.NONE;
    /**
     * The message ids an attempt of this listener (any of its container's consumers) is running for. The broker
     * redelivers a delivery whose channel it closed — its {@code consumer_timeout} passed while the attempt was held
     * (the database slow, a row lock) — to another consumer while that attempt still runs; its record, processing,
     * cannot tell a live attempt from one whose process died, so each such redelivery started an attempt of its own,
     * and the one after the last attempt found the message out of attempts and dead-lettered it (a close check the
     * first attempt closed, CloseCheckConsumerTimeoutIT). Such a redelivery is handed back instead, without an attempt.
     */
    private final Set<String> attempting = ConcurrentHashMap.newKeySet();

    /**
     * {@code meter} counts deliveries by outcome; {@code what} names the message in logs; {@code copies} publishes the
     * dead-letter copies: mandatory, with correlated publisher confirms and returns, on a connection of its own.
     */
    protected RecordedMessageListener(
            String meter,
            String meterDescription,
            String what,
            ObjectMapper json,
            RabbitTemplate copies,
            String deadLetterQueue,
            Duration retryDelay,
            MeterRegistry meters) {
        this.json = json;
        this.copies = copies;
        this.what = what;
        this.deadLetterQueue = deadLetterQueue;
        this.retryDelay = retryDelay;
        for (ConsumeOutcome.Action action : ConsumeOutcome.Action.values()) {
            outcomes.put(
                    action,
                    Counter.builder(meter)
                            .tag("outcome", action.name().toLowerCase(Locale.ROOT))
                            .description(meterDescription)
                            .register(meters));
        }
        this.errors = Counter.builder(meter)
                .tag("outcome", "error")
                .description(meterDescription)
                .register(meters);
    }

    /**
     * Tells the listener why the broker blocks the connection its copies go out on (null while it does not): while
     * it does, a copy is not attempted — a channel's open or a publish there waits for the broker, up to the channel
     * RPC timeout (10 minutes), with this consumer thread and every message behind it — and the delivery is handed
     * back as for a copy the broker refused.
     */
    public void setPublisherBlocked(Supplier<String> publisherBlocked) {
        this.publisherBlocked = publisherBlocked;
    }

    /**
     * Tells the listener what to do with a copy's failure in the client: the app closes the channel a timed-out open
     * left taken (StrandedChannels, which this module cannot reach), else it stays until the connection closes.
     */
    public void setCopyFailed(Consumer<Throwable> copyFailed) {
        this.copyFailed = copyFailed;
    }

    /**
     * Tells the listener which of its failures are outages (the database or Redis unavailable) and logs them: one WARN
     * when deliveries start failing for one and one INFO when an attempt runs again, not a WARN per redelivery (every
     * {@code retry-delay}, for every message waiting) while it lasts. Any other failure is a WARN each time, as before.
     */
    public void setOutages(OutageLog outages) {
        this.outages = outages;
    }

    /** The body as this consumer's message; IllegalArgumentException naming what is wrong. */
    protected abstract T parse(String body);

    /** Records and runs one attempt; {@code parsed} null and {@code malformed} set when the body did not parse. */
    protected abstract ConsumeOutcome consume(
            String messageId, MessageProperties properties, String body, T parsed, String malformed);

    /** Records that the message went to the dead-letter queue. */
    protected abstract void deadLettered(String messageId, ConsumeOutcome outcome);

    /**
     * Records why the message was due for the dead-letter queue when its copy did not land (it stays processing, so
     * its next delivery, out of attempts or failing the same way, names this reason when it is copied).
     */
    protected abstract void deadLetterNotCopied(String messageId, ConsumeOutcome outcome);

    /** Whether the dead-letter copy keeps the routing key the message arrived with. */
    protected boolean keepsRoutingKey() {
        return false;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        MessageProperties properties = message.getMessageProperties();
        long tag = properties.getDeliveryTag();
        String messageId = properties.getMessageId();
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        ConsumeOutcome outcome = attempt(messageId, properties, body);
        if (outcome == null) {
            pause();
            channel.basicNack(tag, false, true);
            return;
        }
        switch (outcome.action()) {
            case DONE, DUPLICATE -> channel.basicAck(tag, false);
            case RETRY, BUSY -> {
                pause();
                channel.basicNack(tag, false, true);
            }
            case DEAD -> {
                if (!deadLetter(message, messageId, message.getBody(), outcome)) {
                    // Not recorded dead either: the next delivery decides again and copies it then.
                    recorded(messageId, () -> deadLetterNotCopied(messageId, outcome));
                    pause();
                    channel.basicNack(tag, false, true);
                    return;
                }
                if (!recorded(messageId, () -> deadLettered(messageId, outcome))) {
                    pause();
                    channel.basicNack(tag, false, true);
                    return;
                }
                channel.basicAck(tag, false);
            }
        }
    }

    /**
     * One message's attempt (or one of several carried by a delivery): read, recorded, run and counted by outcome.
     * Null when our side failed before an attempt could be counted (database down): not the message's fault, so the
     * caller hands the delivery back to the broker without using an attempt.
     */
    protected final ConsumeOutcome attempt(String messageId, MessageProperties properties, String body) {
        if (messageId != null && !attempting.add(messageId)) {
            ConsumeOutcome busy = ConsumeOutcome.busy("an attempt of this message is still running here");
            outcomes.get(busy.action()).increment();
            log.debug("{} message={} redelivered while its attempt runs; handed back", what, LogSafeText.of(messageId));
            return busy;
        }
        try {
            return attemptAlone(messageId, properties, body);
        } finally {
            if (messageId != null) {
                attempting.remove(messageId);
            }
        }
    }

    private ConsumeOutcome attemptAlone(String messageId, MessageProperties properties, String body) {
        ConsumeOutcome outcome;
        try {
            T parsed = null;
            String malformed = null;
            try {
                parsed = parse(body);
            } catch (IllegalArgumentException e) {
                malformed = e.getMessage();
            }
            outcome = consume(messageId, properties, body, parsed, malformed);
        } catch (RuntimeException e) {
            failed(messageId, "not handled", e);
            return null;
        }
        outages.completed();
        outcomes.get(outcome.action()).increment();
        return outcome;
    }

    /**
     * Writes what became of a dead letter's copy to its record; false when our side failed (the database gone between
     * the copy's confirm and this write). The caller then hands the delivery back, and its next delivery copies it
     * again and records it then: a copy twice rather than none. Never thrown from {@link #onMessage}: under manual
     * acknowledgement the container acknowledges nothing for a listener that throws, so the delivery stayed
     * unacknowledged on the channel — not redelivered while the consumer lived, and one of its prefetch slots held
     * for good (DeadLetterRecordFailureTest).
     */
    protected final boolean recorded(String messageId, Runnable write) {
        try {
            write.run();
            return true;
        } catch (RuntimeException e) {
            failed(messageId, "dead letter not recorded", e);
            return false;
        }
    }

    /**
     * Our side failed a delivery, which is handed back: counted, and logged as an outage's ({@link #setOutages}) or, for
     * any other failure, a WARN saying what was {@code left} undone. An outage's WARN is one for all the deliveries it
     * fails, so each of them is named at DEBUG: the way to trace one message through an outage.
     */
    private void failed(String messageId, String left, RuntimeException failure) {
        errors.increment();
        if (outages.outage(failure)) {
            log.debug(
                    "{} message={} {} in an outage; handed back to the broker", what, LogSafeText.of(messageId), left);
        } else {
            log.warn(
                    "{} message={} {} ({}); handed back to the broker",
                    what,
                    LogSafeText.of(messageId),
                    left,
                    LogSafeText.of(failure.toString()));
        }
    }

    /**
     * A copy on the dead-letter queue (persistent, the given id and body) with why and after how many attempts;
     * {@code delivery} is the delivery it came in (its content type, headers and routing key). True once the broker
     * confirmed the copy and routed it to the queue (published mandatory); a copy that came back unroutable (the queue
     * is gone: deleted, or expired by a policy's {@code expires}) declares the queue again and is sent once more. False
     * when the broker refused it, could not route it even then or did not confirm in time — the caller then keeps the original, so a message is never
     * acknowledged on the strength of a copy that may not exist.
     * <p>
     * The copy goes out through {@code copies}, on the publisher connection, never on the channel the delivery came
     * on: a broker short of memory or disk blocks every connection that publishes (it stops reading from it), and a
     * copy published on our consumers' connection stopped their acknowledgements with it — one poison message during
     * an alarm stalled every consumer of the connection until the alarm cleared (MqAlarmDeadLetterIT).
     */
    protected final boolean deadLetter(Message delivery, String messageId, byte[] body, ConsumeOutcome outcome) {
        MessageProperties properties = delivery.getMessageProperties();
        MessageProperties copy = new MessageProperties();
        // Only what the wire can carry: a field the client cannot write fails the publish after it was counted for
        // confirms, which leaked a channel of the publisher connection per delivery and handed the message back
        // forever (AmqpShortString says why). What does not fit is kept where it does: the id and content type in
        // headers of ours, the names of headers left off in one.
        List<String> dropped = new ArrayList<>();
        copy.getHeaders().putAll(publishableTable(properties.getHeaders(), dropped));
        if (!dropped.isEmpty()) {
            copy.setHeader(DROPPED_HEADERS_HEADER, dropped);
        }
        copy.setHeader(DEAD_REASON_HEADER, outcome.reason());
        copy.setHeader(ATTEMPTS_HEADER, outcome.attempts());
        if (keepsRoutingKey() && properties.getReceivedRoutingKey() != null) {
            copy.setHeader(ORIGINAL_ROUTING_KEY_HEADER, properties.getReceivedRoutingKey());
        }
        if (AmqpShortString.fits(messageId)) {
            copy.setMessageId(messageId);
        } else {
            copy.setHeader(MESSAGE_ID_HEADER, messageId);
        }
        if (AmqpShortString.fits(properties.getContentType())) {
            copy.setContentType(properties.getContentType());
        } else {
            copy.setHeader(CONTENT_TYPE_HEADER, properties.getContentType());
        }
        copy.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        String blocked = publisherBlocked.get();
        if (blocked != null) {
            log.warn(
                    "{} message={} not dead-lettered: {}; handed back to the broker",
                    what,
                    LogSafeText.of(messageId),
                    blocked);
            return false;
        }
        Message dead = new Message(body, copy);
        String refusal = copy(dead);
        if (UNROUTED.equals(refusal) && declaredDeadLetterQueue()) {
            refusal = copy(dead);
        }
        if (refusal == null) {
            return true;
        }
        log.warn(
                "{} message={} not dead-lettered: the broker {} to {}; handed back to the broker",
                what,
                LogSafeText.of(messageId),
                refusal,
                deadLetterQueue);
        return false;
    }

    /** Why the broker did not take a copy, or null when it confirmed it and routed it to the dead-letter queue. */
    private String copy(Message dead) {
        // One correlation per copy: its confirm and, the copy being mandatory, its return (which comes first).
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        try {
            copies.send("", deadLetterQueue, dead, correlation);
            CorrelationData.Confirm confirm = correlation.getFuture().get(COPY_CONFIRM_MILLIS, TimeUnit.MILLISECONDS);
            if (confirm.isAck() && correlation.getReturned() == null) {
                return null;
            }
            return confirm.isAck() ? UNROUTED : "refused its copy (" + confirm.getReason() + ")";
        } catch (AmqpException | ExecutionException e) {
            copyFailed.accept(e);
            return "failed its copy (" + e + ")";
        } catch (TimeoutException e) {
            return "did not confirm its copy within " + COPY_CONFIRM_MILLIS + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "was interrupted waiting for its copy";
        }
    }

    /**
     * Declares the dead-letter queue again (durable, no arguments: as the app declares it when a connection opens)
     * after a copy came back unroutable: the queue is gone while the connection stays up. An operator deleted it, or a
     * policy's {@code expires} did — a queue nobody consumes is "unused" and goes after that period, every period.
     * Before, the queue came back only with the next connection (a restart): until then every message due for it was
     * handed back every retry delay, forever. False when the declare failed (logged with the copy's refusal).
     */
    private boolean declaredDeadLetterQueue() {
        try {
            copies.execute(channel -> channel.queueDeclare(deadLetterQueue, true, false, false, null));
            log.warn("{} dead-letter queue {} was gone from the broker; declared again", what, deadLetterQueue);
            return true;
        } catch (AmqpException e) {
            copyFailed.accept(e);
            return false;
        }
    }

    /**
     * The table without the entries whose names no short string holds, at any depth (their names go to
     * {@code dropped}); values are long strings and other field types, which the client writes whatever their length.
     */
    private static Map<String, Object> publishableTable(Map<?, ?> table, List<String> dropped) {
        Map<String, Object> kept = new LinkedHashMap<>();
        table.forEach((name, value) -> {
            String key = String.valueOf(name);
            if (AmqpShortString.fits(key)) {
                kept.put(key, publishableValue(value, dropped));
            } else {
                dropped.add(key);
            }
        });
        return kept;
    }

    private static Object publishableValue(Object value, List<String> dropped) {
        if (value instanceof Map<?, ?> table) {
            return publishableTable(table, dropped);
        }
        if (value instanceof List<?> list) {
            List<Object> kept = new ArrayList<>(list.size());
            list.forEach(element -> kept.add(publishableValue(element, dropped)));
            return kept;
        }
        return value;
    }

    /** The body as a JSON object; IllegalArgumentException when it is not one. */
    protected JsonNode object(String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("body is not a JSON object");
        }
        return node;
    }

    protected static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return value.asText();
    }

    /** The pause before a failed attempt's delivery is handed back to the broker. */
    protected void pause() {
        if (retryDelay.isZero()) {
            return;
        }
        try {
            Thread.sleep(retryDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
