package com.groupbuy.market.infrastructure.gateway.mq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes a delayed close check (an outbox row of notify type {@code DELAY}, #15) into its delay lane with the time
 * it has left, or straight into the close-check queue when its time has come already (a check published late). Like
 * the partner channel it is delivered only on a positive publisher confirm without a return; anything else is a failed
 * attempt and the outbox tries again on its backoff. Never published to the partners' exchange.
 */
public class CloseCheckPublisher implements INotifyGateway {

    private final RabbitTemplate template;
    private final CloseCheckTopology topology;
    private final Clock clock;
    private final Duration confirmTimeout;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code template} must be mandatory, on a connection factory with correlated confirms and returns. */
    public CloseCheckPublisher(RabbitTemplate template, CloseCheckTopology topology, Clock clock,
                               Duration confirmTimeout) {
        this.template = template;
        this.topology = topology;
        this.clock = clock;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        long start = System.nanoTime();
        Instant closeAt;
        Duration nominal;
        try {
            JsonNode body = json.readTree(task.getBody());
            closeAt = Instant.ofEpochMilli(body.path(CloseCheckVO.FIELD_CLOSE_AT).asLong());
            nominal = Duration.ofMillis(body.path(CloseCheckVO.FIELD_DELAY_MS).asLong());
        } catch (IOException | RuntimeException e) {
            return failed(start, "close check body unreadable: " + e.getMessage());
        }
        Instant now = clock.instant();
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setMessageId(task.getWebhookId());
        String queue;
        CorrelationData correlation = new CorrelationData(task.getWebhookId() + "/" + UUID.randomUUID());
        try {
            if (closeAt.isAfter(now)) {
                queue = topology.lane(nominal);
                properties.setExpiration(topology.expiration(closeAt, now));
            } else {
                queue = topology.closeQueue();
            }
            template.send("", queue, new Message(task.getBody().getBytes(StandardCharsets.UTF_8), properties),
                    correlation);
        } catch (AmqpException e) {
            return failed(start, "AMQP publish failed: " + MqExchangeGuard.rootMessage(e));
        }
        try {
            CorrelationData.Confirm confirm = correlation.getFuture().get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
            ReturnedMessage returned = correlation.getReturned();
            if (returned != null) {
                return failed(start, "AMQP returned " + returned.getReplyCode() + " " + returned.getReplyText()
                        + ": no queue " + queue);
            }
            if (!confirm.isAck()) {
                return failed(start, "AMQP nack: " + confirm.getReason());
            }
            return new DeliveryResult(true, null, elapsedMs(start), null);
        } catch (TimeoutException e) {
            return failed(start, "AMQP confirm not received within " + confirmTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return failed(start, "AMQP confirm failed: " + MqExchangeGuard.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(start, "interrupted while waiting for the AMQP confirm");
        }
    }

    private static DeliveryResult failed(long start, String error) {
        return new DeliveryResult(false, null, elapsedMs(start), error);
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
