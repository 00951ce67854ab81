package com.groupbuy.market.infrastructure.gateway.mq;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.infrastructure.ids.UniqueIds;
import com.groupbuy.market.types.mq.AmqpShortString;
import com.groupbuy.market.types.security.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes a callback task on the notify exchange: persistent, {@code application/json}, mandatory, message id and
 * {@code webhook-*} headers exactly as the HTTP callback carries them. Delivered only when the broker confirmed this
 * publish (correlated to this attempt) and did not return it as unroutable; a nack, a return, no confirm in time or a
 * lost connection is a failed attempt, reported, never thrown, never guessed to be a success. Our own refund event
 * ({@link NotifyRoutes#REFUND_EVENT_KEY}) goes to our internal exchange, which malls never bind; an isolated partner's
 * messages go to its own exchange ({@link MqExchangeGuard#exchangeOf}), and wait, not sent, while the broker refuses
 * that exchange ({@link DeliveryResult#exchangeRefused}).
 */
public class AmqpNotifyGateway implements INotifyGateway {

    private final RabbitTemplate template;
    private final MqExchangeGuard exchange;
    private final BiFunction<String, String, String> secretOf;
    private final Clock clock;
    private final Duration confirmTimeout;

    /** {@code template} must be mandatory, on a connection factory with correlated confirms and returns. */
    public AmqpNotifyGateway(
            RabbitTemplate template,
            MqExchangeGuard exchange,
            BiFunction<String, String, String> secretOf,
            Clock clock,
            Duration confirmTimeout) {
        this.template = template;
        this.exchange = exchange;
        this.secretOf = secretOf;
        this.clock = clock;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        return deliverAll(List.of(task)).get(0);
    }

    /**
     * Publishes every task, then awaits their confirms together: one broker round trip for the batch instead of one
     * per task. The whole batch, publishes included, is bounded by the confirm timeout counted from its start, which
     * is the window the delivery service leases the batch for. Each confirm is correlated to its own publish, so a
     * return, a nack or a missing confirm fails only that task; after a failed publish (the connection is likely
     * gone) the rest of the batch is not published and fails with the same reason.
     */
    @Override
    public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
        long start = System.nanoTime();
        long deadline = start + confirmTimeout.toNanos();
        DeliveryResult[] results = new DeliveryResult[tasks.size()];
        String refusal = exchange.ensureDeclared();
        if (refusal != null) {
            Arrays.fill(results, failed(start, "not published: " + refusal));
            return Arrays.asList(results);
        }
        // An isolated partner whose own exchange the broker refuses: only its tasks wait (no try used, and no failure
        // of the broker, which every MQ partner shares); the rest of the batch is published as usual.
        for (int i = 0; i < tasks.size(); i++) {
            NotifyTaskVO task = tasks.get(i);
            if (NotifyRoutes.REFUND_EVENT_KEY.equals(task.getNotifyMq())) {
                continue;
            }
            String refused = exchange.partnerRefusal(task.getSource(), task.getChannel());
            if (refused != null) {
                results[i] = DeliveryResult.exchangeRefused(
                        clock.instant().plus(exchange.partnerRetryIn(task.getSource(), task.getChannel())), refused);
            }
        }
        CorrelationData[] published = new CorrelationData[tasks.size()];
        // One channel for the whole batch: sent one by one, each publish would take a channel of the cache, and a
        // channel with confirms outstanding goes back to the cache only once they arrived, so a batch would open
        // new channels (a broker round trip each) for most of its messages.
        try {
            template.invoke(operations -> publishAll(operations, tasks, published, results, start, deadline));
        } catch (AmqpException e) {
            // No channel to publish on (the connection is gone, or its open timed out): whatever was not published
            // fails with the reason.
            StrandedChannels.free(e);
            exchange.forget();
            String reason = "AMQP publish failed: " + MqExchangeGuard.rootMessage(e);
            for (int i = 0; i < tasks.size(); i++) {
                if (results[i] == null && published[i] == null) {
                    results[i] = failed(start, reason);
                }
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            if (published[i] != null) {
                results[i] = awaitConfirm(published[i], start, deadline);
            }
        }
        return Arrays.asList(results);
    }

    /**
     * Publishes the batch in order on one channel; stops publishing at the first failure, when time runs out or once the
     * broker blocks the connection.
     */
    private Void publishAll(
            RabbitOperations operations,
            List<NotifyTaskVO> tasks,
            CorrelationData[] published,
            DeliveryResult[] results,
            long start,
            long deadline) {
        String publishFailure = null;
        for (int i = 0; i < tasks.size(); i++) {
            NotifyTaskVO task = tasks.get(i);
            if (results[i] != null) {
                continue; // not to be published (its partner's exchange is refused)
            }
            String unframeable;
            String blocked;
            if (task.getNotifyMq() == null || task.getNotifyMq().isBlank()) {
                results[i] = failed(start, "MQ task without a routing key");
            } else if ((unframeable = unframeable(task)) != null) {
                results[i] = failed(start, "not published: " + unframeable);
            } else if (publishFailure != null) {
                results[i] = failed(start, "not published: an earlier publish of its batch failed: " + publishFailure);
            } else if ((blocked = exchange.blocked()) != null) {
                // The broker stopped reading from the connection at a publish of this page (or another's): what
                // is written now only fills the socket's buffers, and once they are full the write blocks this thread,
                // past the page's deadline, until the alarm lifts (MqBlockedBrokerIT: a page of 6,000).
                results[i] = failed(start, "not published: " + blocked);
            } else if (System.nanoTime() - deadline > 0) {
                results[i] = failed(
                        start,
                        "not published: the batch's " + confirmTimeout.toMillis() + " ms ran out while publishing");
            } else {
                Message message;
                try {
                    message = message(task);
                } catch (RuntimeException e) {
                    // This task's own input refused (its partner's signing secret empty: the JDK refuses an empty HMAC
                    // key): its failed attempt alone. Thrown, it failed the whole page, the other partners' messages
                    // published before it included, and none of its outcomes was recorded.
                    results[i] = DeliveryResult.sendThrew(e, elapsedMs(start));
                    continue;
                }
                try {
                    published[i] = publish(operations, task, message);
                } catch (AmqpException e) {
                    exchange.forget();
                    publishFailure = MqExchangeGuard.rootMessage(e);
                    results[i] = failed(start, "AMQP publish failed: " + publishFailure);
                }
            }
        }
        return null;
    }

    private CorrelationData publish(RabbitOperations operations, NotifyTaskVO task, Message message) {
        // One correlation per attempt: a late confirm of an earlier attempt can never be taken for this one.
        CorrelationData correlation = new CorrelationData(task.getWebhookId() + "/" + UniqueIds.hex32());
        operations.send(targetOf(task), task.getNotifyMq(), message, correlation);
        return correlation;
    }

    /**
     * A partner's message goes to its own exchange when the operator isolated it (no other partner binds there), else
     * to the shared one; the routing key is the task's either way, never anything a lock carried.
     */
    private String targetOf(NotifyTaskVO task) {
        return NotifyRoutes.REFUND_EVENT_KEY.equals(task.getNotifyMq())
                ? exchange.internalExchange()
                : exchange.exchangeOf(task.getSource(), task.getChannel());
    }

    /**
     * Why the client could not write this task's publish (a name longer than an AMQP short string), or null. Such a
     * publish is never handed to it: the client refuses it only after counting it for confirms, and its channel then
     * waits for a confirm that never comes ({@link AmqpShortString}). Start-up refuses such names in the settings; a
     * task keeps the routing key it was written with (64 characters of up to four bytes each).
     */
    private String unframeable(NotifyTaskVO task) {
        if (!AmqpShortString.fits(task.getNotifyMq())) {
            return "routing key longer than " + AmqpShortString.MAX_BYTES + " bytes of UTF-8";
        }
        String target = targetOf(task);
        return AmqpShortString.fits(target)
                ? null
                : "exchange " + target + " longer than " + AmqpShortString.MAX_BYTES + " bytes of UTF-8";
    }

    /**
     * Delivered only on a positive confirm of this very publish that came with no return. An interrupt (the console's
     * stop, the job's timeout) does not cut the wait: the message is published, and the broker's answer comes within
     * the page's bound; the interrupt is kept for the caller, which claims nothing more. Cut, every publish whose
     * confirm was still on its way was recorded as a failed attempt (a try used, sent again) although the broker took
     * it (NotifyRunStoppedIT).
     */
    private DeliveryResult awaitConfirm(CorrelationData correlation, long start, long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return confirmed(
                            correlation,
                            correlation
                                    .getFuture()
                                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS),
                            start);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (TimeoutException e) {
            exchange.forget();
            return failed(start, "AMQP confirm not received within " + confirmTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            exchange.forget();
            return failed(start, "AMQP confirm failed: " + MqExchangeGuard.rootMessage(e));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private DeliveryResult confirmed(CorrelationData correlation, CorrelationData.Confirm confirm, long start) {
        ReturnedMessage returned = correlation.getReturned();
        if (returned != null) {
            // The broker is well: it routed the message nowhere because no queue is bound to the key. A failed
            // attempt of this task, but not one of the broker's, whose breaker guards every MQ partner.
            return DeliveryResult.failedAtRecipient(
                    elapsedMs(start),
                    "AMQP returned " + returned.getReplyCode() + " " + returned.getReplyText()
                            + ": no queue bound to " + returned.getExchange() + " with key "
                            + returned.getRoutingKey());
        }
        if (!confirm.isAck() && confirm.getReason() == null) {
            // The broker's own basic.nack (the client's nacks of a closed channel carry a reason): it answered at
            // once, refusing this message where it was routed, such as one partner's queue at its x-max-length
            // with x-overflow reject-publish while its consumer is down. Like a return, this task's failed
            // attempt but no failure of the broker: counted against the breaker every MQ partner shares, one
            // partner's full queue held back every other partner's callbacks ("not sent: circuit open").
            return DeliveryResult.failedAtRecipient(elapsedMs(start), "AMQP nack: the broker refused the message");
        }
        if (!confirm.isAck()) {
            exchange.forget();
            return failed(start, "AMQP nack: " + confirm.getReason());
        }
        return new DeliveryResult(true, null, elapsedMs(start), null);
    }

    private Message message(NotifyTaskVO task) {
        long timestamp = clock.instant().getEpochSecond();
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setMessageId(task.getWebhookId());
        properties.setHeader("webhook-id", task.getWebhookId());
        properties.setHeader("webhook-timestamp", Long.toString(timestamp));
        String secret = secretOf.apply(task.getSource(), task.getChannel());
        if (secret != null) {
            properties.setHeader(
                    "webhook-signature", WebhookSignature.sign(secret, task.getWebhookId(), timestamp, task.getBody()));
        }
        return new Message(task.getBody().getBytes(StandardCharsets.UTF_8), properties);
    }

    private static DeliveryResult failed(long start, String error) {
        return new DeliveryResult(false, null, elapsedMs(start), error);
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
