package com.groupbuy.market.infrastructure.gateway.mq;

import com.groupbuy.market.infrastructure.gateway.OwnSocketFaults;
import com.groupbuy.market.types.exception.Causes;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * An isolated partner's exchange is declared apart from ours, on a channel of its own, and a refusal of it (the
 * exchange exists with another type or durability, or our broker user may not configure that name) is that partner's
 * alone: its messages wait ({@link #partnerRefusal}), tried again after the same interval, while the channel stays up
 * for every other partner — before, one partner's broken exchange refused the whole declare and took the MQ channel
 * down for all of them. {@link #refusedPartnerExchanges} names them for the health and the meters.
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

    /** The end of the broker's reply text when it refuses a message larger than its max_message_size. */
    private static final Pattern TOO_LARGE = Pattern.compile("is larger than (?:configured )?max size (\\d{1,18})");

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
    private final Map<String, PartnerExchange> partnerExchanges;

    private final long retryNanos;

    private volatile State state = State.UNKNOWN;
    private volatile String reason = "not declared yet";
    private volatile long lastTry;
    /** Why the last declare failed when a socket our own process could not open failed it; null otherwise. */
    private volatile String ownFault;
    /** The publisher connection the broker blocks, and why; null while it does not. */
    private volatile Connection blockedConnection;

    private volatile String blockedReason;
    /**
     * The broker's {@code max_message_size} as its last refusal of a message named it, and when it did
     * ({@link System#nanoTime}); -1 while none is known.
     */
    private volatile long maxMessageSize = -1;

    private volatile long maxMessageSizeLearned;

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
        Map<String, PartnerExchange> byPartner = new LinkedHashMap<>();
        partnerExchanges.forEach((source, byChannel) -> byChannel.forEach((channel, name) ->
                byPartner.put(partnerKey(source, channel), new PartnerExchange(source + ":" + channel, name))));
        this.partnerExchanges = Collections.unmodifiableMap(byPartner);
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
        PartnerExchange own = partnerExchanges.get(partnerKey(source, channel));
        return own == null ? exchange : own.name;
    }

    /**
     * Null unless the partner is isolated and the broker refuses its own exchange; then why. A refusal older than the
     * retry interval is tried again first, so the partner's messages go out once an operator fixed the exchange.
     */
    public String partnerRefusal(String source, String channel) {
        PartnerExchange own = partnerExchanges.get(partnerKey(source, channel));
        return own == null || own.state != State.REFUSED ? null : partnerRefusal(own);
    }

    /** How long until a refused partner exchange is declared again (zero when due or not refused). */
    public Duration partnerRetryIn(String source, String channel) {
        PartnerExchange own = partnerExchanges.get(partnerKey(source, channel));
        if (own == null || own.state != State.REFUSED) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, retryNanos - (System.nanoTime() - own.lastTry)));
    }

    /**
     * The isolated partners' exchanges the broker refuses now, exchange name to reason (empty when none); refusals
     * older than the retry interval are tried again first, so the health heals without waiting for a delivery.
     */
    public Map<String, String> refusedPartnerExchanges() {
        Map<String, String> refused = new LinkedHashMap<>();
        for (PartnerExchange own : partnerExchanges.values()) {
            if (own.state == State.REFUSED) {
                String reason = partnerRefusal(own);
                if (reason != null) {
                    refused.put(own.name, reason);
                }
            }
        }
        return refused;
    }

    /** How many isolated partners' exchanges the broker refuses, as last declared (no declare: for a gauge). */
    public int refusedPartnerExchangeCount() {
        int n = 0;
        for (PartnerExchange own : partnerExchanges.values()) {
            if (own.state == State.REFUSED) {
                n++;
            }
        }
        return n;
    }

    private synchronized String partnerRefusal(PartnerExchange own) {
        if (own.state == State.REFUSED && System.nanoTime() - own.lastTry >= retryNanos) {
            declarePartner(own);
        }
        return own.state == State.REFUSED ? own.reason : null;
    }

    private static String partnerKey(String source, String channel) {
        return source + "\0" + channel;
    }

    public String internalExchange() {
        return internalExchange;
    }

    /**
     * While the exchange is not declared because the last declare could not open a connection for a fault of our own
     * process (out of file descriptors or local ports, {@link OwnSocketFaults}): why; null otherwise. Nothing reached
     * the broker, so the callbacks held by it are not sent, no try used.
     */
    public String ownFault() {
        return state == State.DECLARED ? null : ownFault;
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

    /**
     * Declares now: the shared and internal exchanges (their outcome is the channel's, kept for {@link #ensureDeclared}
     * and the health indicator), then, once they are, each isolated partner's own exchange apart (its outcome is that
     * partner's, {@link #partnerRefusal}).
     */
    public synchronized State declare() {
        lastTry = System.nanoTime();
        try {
            template.execute(channel -> {
                channel.exchangeDeclare(exchange, "topic", true, false, null);
                return channel.exchangeDeclare(internalExchange, "direct", true, false, null);
            });
            if (state != State.DECLARED) {
                log.info(
                        "MQ channel up: exchange {} (durable topic) and our internal exchange {} (durable direct) "
                                + "declared",
                        exchange,
                        internalExchange);
            }
            state = State.DECLARED;
            reason = null;
            ownFault = null;
        } catch (AmqpConnectException e) {
            ownFault = OwnSocketFaults.of(e);
            unreachable(
                    "broker unreachable: " + Causes.rootMessage(e),
                    "; MQ callbacks wait in the outbox until it is back");
        } catch (AmqpException e) {
            ownFault = OwnSocketFaults.of(e);
            StrandedChannels.free(e);
            ShutdownSignalException refused = refusal(e);
            if (refused != null) {
                state = State.REFUSED;
                reason = "the broker refused to declare exchange " + exchange + " as a durable topic exchange or "
                        + internalExchange + " as a durable direct exchange ("
                        + refused.getReason().protocolMethodName() + ": " + refusedText(refused) + ")";
                log.error(
                        "MQ channel DOWN: {}. Malls bind this exchange by name: fix or delete it on the broker; "
                                + "MQ callbacks wait in the outbox until then",
                        reason);
            } else {
                unreachable("declare failed: " + Causes.rootMessage(e), "");
            }
        }
        if (state == State.DECLARED) {
            for (PartnerExchange own : partnerExchanges.values()) {
                // A refusal is kept until its retry: a publish refused on an exchange whose declare the broker allows
                // (our user may configure it, not write to it) is not undone by declaring it again.
                if (own.state != State.REFUSED || System.nanoTime() - own.lastTry >= retryNanos) {
                    declarePartner(own);
                }
            }
        }
        return state;
    }

    /**
     * The broker did not take the declare: a WARN when the channel goes unreachable (or for another reason), not at each
     * try while it stays so. Every MQ batch and every health probe tries (a load balancer's, every few seconds), and each
     * logged this WARN during a broker outage; "MQ channel up" is logged once it is back.
     */
    private void unreachable(String why, String consequence) {
        boolean logged = state == State.UNREACHABLE && why.equals(reason);
        state = State.UNREACHABLE;
        reason = why;
        if (!logged) {
            log.warn("MQ channel: {}{}", why, consequence);
        }
    }

    /**
     * Declares one isolated partner's exchange on a channel of its own (a refused declare closes its channel). Only a
     * refusal is kept as the partner's: any other failure is the broker's or the connection's, which the next publish
     * meets as every partner does, so the partner's state stays unknown and is declared again with the channel's.
     */
    private void declarePartner(PartnerExchange own) {
        own.lastTry = System.nanoTime();
        try {
            template.execute(channel -> channel.exchangeDeclare(own.name, "topic", true, false, null));
            if (own.state == State.REFUSED) {
                log.info(
                        "MQ partner exchange {} of partner {} declared (durable topic): its MQ callbacks go out again",
                        own.name,
                        own.partner);
            }
            own.state = State.DECLARED;
            own.reason = null;
        } catch (AmqpException e) {
            StrandedChannels.free(e);
            ShutdownSignalException refused = refusal(e);
            if (refused == null) {
                own.state = State.UNKNOWN;
                own.reason = null;
                log.warn("MQ partner exchange {}: declare failed: {}", own.name, Causes.rootMessage(e));
                return;
            }
            boolean first = own.state != State.REFUSED;
            own.state = State.REFUSED;
            own.reason = "the broker refused to declare partner " + own.partner + "'s own exchange " + own.name
                    + " as a durable topic exchange (" + refused.getReason().protocolMethodName() + ": "
                    + refusedText(refused) + ")";
            if (first) {
                log.error(
                        "MQ partner exchange REFUSED: {}. Only this partner's MQ callbacks wait in the outbox (no try "
                                + "used) until the exchange is fixed or deleted on the broker; every other partner's go "
                                + "on",
                        own.reason);
            } else {
                log.warn("MQ partner exchange still refused: {}", own.reason);
            }
        }
    }

    /**
     * The broker closed the channel of an isolated partner's publishes with {@code closed}, refusing one of them on the
     * partner's own exchange ({@link #accessRefused}: our user may not write to it): the partner is refused as for a
     * refused declare, its messages wait, not sent, until the retry interval passed. Returns why.
     */
    public synchronized String publishRefused(String source, String channel, ShutdownSignalException closed) {
        PartnerExchange own = partnerExchanges.get(partnerKey(source, channel));
        String why = "the broker refused to publish on partner " + source + ":" + channel + "'s own exchange "
                + (own == null ? exchangeOf(source, channel) : own.name) + " (" + refusedText(closed) + ")";
        if (own == null) {
            return why;
        }
        boolean first = own.state != State.REFUSED;
        own.lastTry = System.nanoTime();
        own.state = State.REFUSED;
        own.reason = why;
        if (first) {
            log.error(
                    "MQ partner exchange REFUSED: {}. Only this partner's MQ callbacks wait in the outbox (no try used) "
                            + "until our broker user may write to it; every other partner's go on",
                    why);
        } else {
            log.warn("MQ partner exchange still refused: {}", why);
        }
        return why;
    }

    /**
     * The limit the broker named when it closed a channel refusing a message larger than its {@code max_message_size}
     * ({@code 406 PRECONDITION_FAILED - message size N is larger than configured max size M}); -1 for any other close
     * or none.
     */
    public static long messageSizeLimit(ShutdownSignalException closed) {
        if (closed == null
                || closed.isHardError()
                || !(closed.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close)
                || close.getReplyCode() != com.rabbitmq.client.AMQP.PRECONDITION_FAILED) {
            return -1;
        }
        Matcher tooLarge = TOO_LARGE.matcher(String.valueOf(close.getReplyText()));
        return tooLarge.find() ? Long.parseLong(tooLarge.group(1)) : -1;
    }

    /**
     * The broker refused a message larger than {@code limit} bytes, its {@code max_message_size}: kept, so that a
     * larger callback is failed without publishing it and a larger close-check bundle is split (each such publish
     * closes its channel, and the other publishes of its batch with it), until the retry interval passed or a new
     * connection is made (an operator who raised the limit restarted the broker), when a larger one is published again
     * and the broker asked anew. The one limit both publishers keep. Returns whether the limit is new (not the one last
     * learned on this connection): the caller logs it then, worded for what the broker refused.
     */
    public boolean messageSizeRefused(long limit) {
        boolean learned = limit != maxMessageSize;
        maxMessageSize = limit;
        maxMessageSizeLearned = System.nanoTime();
        return learned;
    }

    /**
     * The broker's {@code max_message_size} as it last refused a message, within the retry interval on this
     * connection; -1 when none is known.
     */
    public long maxMessageSize() {
        long limit = maxMessageSize;
        return limit >= 0 && System.nanoTime() - maxMessageSizeLearned < retryNanos ? limit : -1;
    }

    /** Whether the broker closed a channel refusing access to what it was asked for (403 ACCESS_REFUSED). */
    public static boolean accessRefused(ShutdownSignalException closed) {
        return closed != null
                && !closed.isHardError()
                && closed.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
                && close.getReplyCode() == com.rabbitmq.client.AMQP.ACCESS_REFUSED;
    }

    /** Called after a failed publish: the channel may be gone with the exchange, so declare again next time. */
    public void forget() {
        if (state == State.DECLARED) {
            state = State.UNKNOWN;
        }
        for (PartnerExchange own : partnerExchanges.values()) {
            if (own.state == State.DECLARED) {
                own.state = State.UNKNOWN;
            }
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
                // A new connection, perhaps to a broker restarted with another max_message_size: asked anew.
                maxMessageSize = -1;
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
        for (Throwable t : Causes.of(e)) {
            if (t instanceof ShutdownSignalException signal && !signal.isHardError()) {
                return signal;
            }
        }
        return null;
    }

    /** The reply code and text of a channel's close, else the signal's message. */
    static String refusedText(ShutdownSignalException signal) {
        return signal.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
                ? close.getReplyCode() + " " + close.getReplyText()
                : signal.getMessage();
    }

    /** An isolated partner's exchange and the broker's last answer to its declare. */
    private static final class PartnerExchange {
        final String partner;
        final String name;
        volatile State state = State.UNKNOWN;
        volatile String reason;
        volatile long lastTry;

        PartnerExchange(String partner, String name) {
            this.partner = partner;
            this.name = name;
        }
    }
}
