package com.groupbuy.market.infrastructure.gateway.mq;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Keeps the notify exchange declared as the contract names it: durable, topic. Malls bind to it by name, so a broker
 * that refuses the declare (the exchange exists with another type or durability) must stop MQ delivery loudly rather
 * than publish into something malls did not bind: publishing is refused, the health shows the channel DOWN, and the
 * declare is tried again now and then so the channel heals once an operator fixes the exchange. Every new connection
 * declares again before its first publish (a broker restarted without its definitions has lost the exchange). Our
 * internal exchange (durable, direct: events only we consume, such as the refund event) is declared with it, and so is
 * each isolated partner's own exchange (durable, topic, like the shared one: the partner binds it as it would bind the
 * shared one, with the same routing keys), which {@link #exchangeOf} names for that partner's messages.
 * <p>
 * While the broker blocks our publisher connection (a memory or disk alarm: it stops reading from every connection
 * that publishes), nothing is declared or published: every RPC on that connection — a channel's open, a declare —
 * would wait for the channel RPC timeout (10 minutes) and hold the delivery thread, and with it this guard, which
 * every other MQ delivery and the health check wait on. Publishing is refused at once instead (a failed attempt, the
 * task waits in the outbox) until the broker unblocks the connection or it is replaced
 * ({@link #publisherConnectionWatch}).
 */
@Slf4j
public class MqExchangeGuard implements ConnectionListener {

    public enum State {
        UNKNOWN,
        DECLARED,
        REFUSED,
        UNREACHABLE,
        BLOCKED
    }

    private final RabbitTemplate template;
    private final String exchange;
    private final String internalExchange;
    /** Isolated partners' own exchanges by "source" NUL "channel" (ids compared exactly). */
    private final Map<String, String> partnerExchanges;

    private final long retryNanos;

    private volatile State state = State.UNKNOWN;
    private volatile String reason = "not declared yet";
    private volatile long lastTry;
    /** The publisher connection the broker blocks, and why; null while it does not. */
    private volatile Connection blockedConnection;

    private volatile String blockedReason;

    public MqExchangeGuard(RabbitTemplate template, String exchange, String internalExchange, Duration refusedRetry) {
        this(template, exchange, internalExchange, Map.of(), refusedRetry);
    }

    /**
     * @param partnerExchanges isolated partners' own exchanges: source, then channel, then the exchange (checked by the
     *     caller: each distinct and none the shared or the internal exchange)
     */
    public MqExchangeGuard(
            RabbitTemplate template,
            String exchange,
            String internalExchange,
            Map<String, Map<String, String>> partnerExchanges,
            Duration refusedRetry) {
        this.template = template;
        this.exchange = exchange;
        this.internalExchange = internalExchange;
        Map<String, String> byPartner = new LinkedHashMap<>();
        partnerExchanges.forEach((source, byChannel) ->
                byChannel.forEach((channel, name) -> byPartner.put(partnerKey(source, channel), name)));
        this.partnerExchanges = Map.copyOf(byPartner);
        this.retryNanos = refusedRetry.toNanos();
    }

    public String exchange() {
        return exchange;
    }

    /**
     * The exchange a partner's own messages go to: its own when the operator isolated it, else the shared one. Source
     * and channel are the task's (the partner owed the message), compared exactly.
     */
    public String exchangeOf(String source, String channel) {
        String own = partnerExchanges.get(partnerKey(source, channel));
        return own == null ? exchange : own;
    }

    private static String partnerKey(String source, String channel) {
        return source + "\0" + channel;
    }

    public String internalExchange() {
        return internalExchange;
    }

    /** Null when the exchange is declared and publishing may go on; otherwise why it may not. */
    public String ensureDeclared() {
        String blocked = blocked();
        if (blocked != null) {
            return blocked;
        }
        if (state == State.DECLARED) {
            return null;
        }
        synchronized (this) {
            blocked = blocked();
            if (blocked != null) {
                return blocked;
            }
            if (state == State.REFUSED && System.nanoTime() - lastTry < retryNanos) {
                return reason;
            }
            if (state != State.DECLARED) {
                declare();
            }
            return state == State.DECLARED ? null : reason;
        }
    }

    /** Declares now; the outcome is kept for {@link #ensureDeclared} and the health indicator. */
    public synchronized State declare() {
        lastTry = System.nanoTime();
        try {
            template.execute(channel -> {
                channel.exchangeDeclare(exchange, "topic", true, false, null);
                for (String own : List.copyOf(partnerExchanges.values())) {
                    channel.exchangeDeclare(own, "topic", true, false, null);
                }
                return channel.exchangeDeclare(internalExchange, "direct", true, false, null);
            });
            if (state != State.DECLARED) {
                log.info(
                        "MQ channel up: exchange {} (durable topic), isolated partners' exchanges {} (durable topic) "
                                + "and our internal exchange {} (durable direct) declared",
                        exchange,
                        partnerExchanges.values(),
                        internalExchange);
            }
            state = State.DECLARED;
            reason = null;
        } catch (AmqpConnectException e) {
            state = State.UNREACHABLE;
            reason = "broker unreachable: " + rootMessage(e);
            log.warn("MQ channel: {}; MQ callbacks wait in the outbox until it is back", reason);
        } catch (AmqpException e) {
            ShutdownSignalException refused = refusal(e);
            if (refused != null) {
                state = State.REFUSED;
                reason = "the broker refused to declare exchange " + exchange
                        + (partnerExchanges.isEmpty() ? "" : " or a partner's own " + partnerExchanges.values())
                        + " as a durable topic exchange or " + internalExchange + " as a durable direct exchange ("
                        + refused.getReason().protocolMethodName() + ": " + refusedText(refused) + ")";
                log.error(
                        "MQ channel DOWN: {}. Malls bind this exchange by name: fix or delete it on the broker; "
                                + "MQ callbacks wait in the outbox until then",
                        reason);
            } else {
                state = State.UNREACHABLE;
                reason = "declare failed: " + rootMessage(e);
                log.warn("MQ channel: {}", reason);
            }
        }
        return state;
    }

    /** Called after a failed publish: the channel may be gone with the exchange, so declare again next time. */
    public void forget() {
        if (state == State.DECLARED) {
            state = State.UNKNOWN;
        }
    }

    public State state() {
        return blocked() != null ? State.BLOCKED : state;
    }

    public String reason() {
        String blocked = blocked();
        return blocked != null ? blocked : reason;
    }

    /** Why publishing waits while the broker blocks our publisher connection; null while it does not. */
    public String blocked() {
        String why = blockedReason;
        return blockedConnection == null || why == null
                ? null
                : "the broker blocks our publisher connection (" + why
                        + "): a memory or disk alarm; MQ callbacks wait in the outbox until it lifts";
    }

    /**
     * The listener to add to the publisher connection factory (the connection the notify template publishes and
     * declares on): it follows the broker's {@code connection.blocked} / {@code connection.unblocked} notifications of
     * each new connection; a connection closed or replaced is no longer blocked.
     */
    public ConnectionListener publisherConnectionWatch() {
        return new ConnectionListener() {
            @Override
            public void onCreate(Connection connection) {
                blockedConnection = null;
                connection.addBlockedListener(new BlockedListener() {
                    @Override
                    public void handleBlocked(String why) {
                        blockedReason = why;
                        blockedConnection = connection;
                        log.warn(
                                "MQ channel: the broker blocks our publisher connection ({}); MQ callbacks wait in "
                                        + "the outbox until it lifts",
                                why);
                    }

                    @Override
                    public void handleUnblocked() {
                        if (blockedConnection == connection) {
                            blockedConnection = null;
                            log.info("MQ channel: the broker unblocked our publisher connection");
                        }
                    }
                });
            }

            @Override
            public void onClose(Connection connection) {
                if (blockedConnection == connection) {
                    blockedConnection = null;
                }
            }
        };
    }

    @Override
    public void onCreate(Connection connection) {
        forget();
    }

    private static ShutdownSignalException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal && !signal.isHardError()) {
                return signal;
            }
        }
        return null;
    }

    private static String refusedText(ShutdownSignalException signal) {
        return signal.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
                ? close.getReplyCode() + " " + close.getReplyText()
                : signal.getMessage();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
