package com.groupbuy.market.config;

import com.groupbuy.market.types.exception.Causes;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Removes the binding earlier versions gave our refund queue on the partners' exchange: while it stays, every mall
 * bound to the refund key sees the refunds our queue is meant for, and a partner's refund with no queue of the partner
 * bound is routed to ours instead of being returned. Unbinding what is not bound is a no-op on RabbitMQ but a 404
 * channel error on the default profile's broker (Qpid): so it runs on a channel of its own, not one of Spring's cached
 * ones, whose close Spring logs as an ERROR (at every start of the README's run), and a 404 means nothing to remove.
 */
@Slf4j
public class OldRefundBindingRemoval implements ConnectionListener {

    private final String queue;
    private final String exchange;
    private final String routingKey;

    public OldRefundBindingRemoval(String queue, String exchange, String routingKey) {
        this.queue = queue;
        this.exchange = exchange;
        this.routingKey = routingKey;
    }

    @Override
    public void onCreate(Connection connection) {
        try (Channel channel = connection.getDelegate().createChannel()) {
            channel.queueUnbind(queue, exchange, routingKey);
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (notFound(e)) {
                log.debug("no old binding of {} to {} with {}", queue, exchange, routingKey);
                return;
            }
            log.warn(
                    "could not remove the old binding of {} to {} with {}: {}",
                    queue,
                    exchange,
                    routingKey,
                    e.toString());
        }
    }

    /** The broker's 404 (no such binding, queue or exchange): nothing of the old binding is there to remove. */
    private static boolean notFound(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof ShutdownSignalException signal
                    && signal.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.NOT_FOUND) {
                return true;
            }
        }
        return false;
    }
}
