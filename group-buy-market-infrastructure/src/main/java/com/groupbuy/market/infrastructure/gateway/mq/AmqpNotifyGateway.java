package com.groupbuy.market.infrastructure.gateway.mq;

import com.groupbuy.market.domain.trade.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;
import com.groupbuy.market.types.security.WebhookSignature;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * Publishes a callback task on the notify exchange: persistent, {@code application/json}, mandatory, message id and
 * {@code webhook-*} headers exactly as the HTTP callback carries them. Delivered only when the broker confirmed this
 * publish (correlated to this attempt) and did not return it as unroutable; a nack, a return, no confirm in time or a
 * lost connection is a failed attempt, reported, never thrown, never guessed to be a success.
 */
public class AmqpNotifyGateway implements INotifyGateway {

    private final RabbitTemplate template;
    private final MqExchangeGuard exchange;
    private final BiFunction<String, String, String> secretOf;
    private final Clock clock;
    private final Duration confirmTimeout;

    /** {@code template} must be mandatory, on a connection factory with correlated confirms and returns. */
    public AmqpNotifyGateway(RabbitTemplate template, MqExchangeGuard exchange,
                             BiFunction<String, String, String> secretOf, Clock clock, Duration confirmTimeout) {
        this.template = template;
        this.exchange = exchange;
        this.secretOf = secretOf;
        this.clock = clock;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        long start = System.nanoTime();
        if (task.getNotifyMq() == null || task.getNotifyMq().isBlank()) {
            return failed(start, "MQ task without a routing key");
        }
        String refusal = exchange.ensureDeclared();
        if (refusal != null) {
            return failed(start, "not published: " + refusal);
        }
        // One correlation per attempt: a late confirm of an earlier attempt can never be taken for this one.
        CorrelationData correlation = new CorrelationData(task.getWebhookId() + "/" + UUID.randomUUID());
        try {
            template.send(exchange.exchange(), task.getNotifyMq(), message(task), correlation);
        } catch (AmqpException e) {
            exchange.forget();
            return failed(start, "AMQP publish failed: " + MqExchangeGuard.rootMessage(e));
        }
        try {
            CorrelationData.Confirm confirm = correlation.getFuture().get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
            ReturnedMessage returned = correlation.getReturned();
            if (returned != null) {
                return failed(start, "AMQP returned " + returned.getReplyCode() + " " + returned.getReplyText()
                        + ": no queue bound to " + returned.getExchange() + " with key " + returned.getRoutingKey());
            }
            if (!confirm.isAck()) {
                exchange.forget();
                return failed(start, "AMQP nack: " + confirm.getReason());
            }
            return new DeliveryResult(true, null, elapsedMs(start), null);
        } catch (TimeoutException e) {
            exchange.forget();
            return failed(start, "AMQP confirm not received within " + confirmTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            exchange.forget();
            return failed(start, "AMQP confirm failed: " + MqExchangeGuard.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(start, "interrupted while waiting for the AMQP confirm");
        }
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
            properties.setHeader("webhook-signature",
                    WebhookSignature.sign(secret, task.getWebhookId(), timestamp, task.getBody()));
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
