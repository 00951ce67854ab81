package com.groupbuy.market.infrastructure.gateway.mq;

import com.groupbuy.market.types.exception.Causes;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The broker objects of the delay path (#15): the close-check queue our consumer reads, its dead-letter queue, and one
 * delay queue ("lane") per nominal delay length, whose expired messages the broker moves to the close-check queue.
 * <p>
 * Why a lane per length, each message with its own expiration: RabbitMQ expires a per-message TTL only at the head of
 * its queue, so in one shared queue a 30-minute team check would hold back every 3-second unpaid check behind it. In a
 * lane all messages have the same nominal length and are published by one relay in deadline order page by page (locks
 * commit nearly in lock order), so the head is (nearly) always the first to expire; a message published late (by the outbox's compensation after a broker outage) carries only the time it has
 * left and waits at most as long as it was late. A message whose time has already come goes to the close-check queue
 * directly.
 * <p>
 * The two brokers differ on AMQP 0-9-1, so the declares and the expiration follow the broker we are connected to
 * (server property {@code product}, or {@code gbm.close-check.broker-flavour}):
 * <ul>
 *   <li>RabbitMQ: lanes dead-letter to the close-check queue through the default exchange
 *       ({@code x-dead-letter-exchange ""}, {@code x-dead-letter-routing-key}); {@code expiration} is the time left in
 *       milliseconds, relative.</li>
 *   <li>Qpid Broker-J (the default profile's embedded broker) refuses {@code x-dead-letter-*} (and closes the
 *       connection for it); its lanes name the close-check queue as their alternate binding with expiry policy
 *       {@code ROUTE_TO_ALTERNATE}. Its 0-9-1 {@code expiration} is an absolute time (epoch milliseconds), it expires
 *       entries anywhere in a queue on its housekeeping tick (the embedded broker ticks every 200 ms), and an expired
 *       message keeps its expiration when routed on, so the close-check queue declares a minimum TTL that outlives
 *       it.</li>
 * </ul>
 */
@Slf4j
public class CloseCheckTopology implements ConnectionListener {

    public enum Flavour {
        AUTO,
        RABBITMQ,
        QPID
    }

    private final RabbitTemplate template;
    private final String closeQueue;
    private final String deadLetterQueue;
    private final String lanePrefix;
    private final Flavour configured;
    private final Set<String> declaredLanes = ConcurrentHashMap.newKeySet();
    /** Every lane this instance declared, on any connection: a few names, one per delay length in use. */
    private final Set<String> lanesEverDeclared = ConcurrentHashMap.newKeySet();

    private volatile Flavour flavour;
    /** A check came back unroutable: the close-check queues are declared again before the next publish. */
    private volatile boolean queuesForgotten;

    public CloseCheckTopology(
            RabbitTemplate template, String closeQueue, String deadLetterQueue, String lanePrefix, Flavour configured) {
        this.template = template;
        this.closeQueue = closeQueue;
        this.deadLetterQueue = deadLetterQueue;
        this.lanePrefix = lanePrefix;
        this.configured = configured;
        this.flavour = configured == Flavour.AUTO ? null : configured;
    }

    public String closeQueue() {
        return closeQueue;
    }

    public String deadLetterQueue() {
        return deadLetterQueue;
    }

    /** The prefix of every delay lane's name: a lane is this plus its length in whole seconds and "s". */
    public String lanePrefix() {
        return lanePrefix;
    }

    /**
     * Every lane this instance declared on the broker since it started, on whichever connection: counted by the gauge
     * {@code gbm.close-check.lanes}, and the names an owner taking them down (a test class on names of its own)
     * deletes.
     */
    public Set<String> lanesDeclared() {
        return Set.copyOf(lanesEverDeclared);
    }

    /** The broker's flavour; connects (and so declares) when not known yet. */
    public Flavour flavour() {
        if (flavour == null) {
            template.execute(channel -> null);
        }
        return flavour == null ? Flavour.RABBITMQ : flavour;
    }

    /** The lane for this nominal delay (whole seconds, rounded up), declared once per connection. */
    public String lane(Duration nominal) {
        long seconds = Math.max(1, (nominal.toMillis() + 999) / 1000);
        String lane = lanePrefix + seconds + "s";
        declareForgotten();
        if (!declaredLanes.contains(lane)) {
            Flavour current = flavour();
            template.execute(channel -> channel.queueDeclare(lane, true, false, false, laneArguments(current)));
            declaredLanes.add(lane);
            lanesEverDeclared.add(lane);
            log.info("close-check delay lane {} declared ({})", lane, current);
        }
        return lane;
    }

    /** The close-check queue, for a check already due (declared again first if a check came back unroutable). */
    public String closeQueueToPublish() {
        declareForgotten();
        return closeQueue;
    }

    /**
     * A check published to {@code queue} came back unroutable: the queue is gone although this connection is up (an
     * operator deleted it, a policy expired it). Before, a lane was declared once per connection, so every later check
     * bound for it came back too, attempt after attempt until FAIL. Now the next publish declares it again, and the
     * close-check and dead-letter queues with it (a lane's expired checks go there, and they may be gone as well).
     */
    public void forget(String queue) {
        boolean news = declaredLanes.remove(queue) | !queuesForgotten;
        queuesForgotten = true;
        if (news) {
            log.warn("close-check queue {} is gone from the broker; declared again before the next publish", queue);
        }
    }

    /**
     * Our consumer of the close-check queue failed (the queue deleted under it cancels it): declare the close-check
     * queues again now. The lanes still take checks, and RabbitMQ drops a message it dead-letters to a queue that does
     * not exist, so nothing would come back to the publisher; before, every check expiring until the next connection
     * was lost to the delay path. A broker that is down simply fails this; the connection's own declare follows.
     */
    public void consumerFailed() {
        queuesForgotten = true;
        try {
            declareForgotten();
            log.info("close-check queues {} / {} declared after their consumer failed", closeQueue, deadLetterQueue);
        } catch (RuntimeException e) {
            StrandedChannels.free(e);
            log.info("close-check queues not declared again yet ({})", Causes.rootMessage(e));
        }
    }

    private void declareForgotten() {
        if (!queuesForgotten) {
            return;
        }
        queuesForgotten = false;
        Flavour current = flavour();
        try {
            template.execute(channel -> {
                channel.queueDeclare(closeQueue, true, false, false, closeQueueArguments(current));
                channel.queueDeclare(deadLetterQueue, true, false, false, null);
                return null;
            });
        } catch (RuntimeException e) {
            queuesForgotten = true;
            throw e;
        }
    }

    /** The 0-9-1 {@code expiration} of a check due at {@code closeAt}, as this broker reads it. */
    public String expiration(Instant closeAt, Instant now) {
        return flavour() == Flavour.QPID
                ? Long.toString(closeAt.toEpochMilli())
                : Long.toString(Math.max(0, Duration.between(now, closeAt).toMillis()));
    }

    /** A new connection: learn the broker, declare the close-check and dead-letter queues; lanes again on first use. */
    @Override
    public void onCreate(Connection connection) {
        declaredLanes.clear();
        if (configured == Flavour.AUTO) {
            Object product = connection.getDelegate().getServerProperties().get("product");
            flavour = product != null
                            && product.toString().toLowerCase(Locale.ROOT).contains("qpid")
                    ? Flavour.QPID
                    : Flavour.RABBITMQ;
        }
        try (Channel channel = connection.createChannel(false)) {
            channel.queueDeclare(closeQueue, true, false, false, closeQueueArguments(flavour));
            channel.queueDeclare(deadLetterQueue, true, false, false, null);
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.error(
                    "close-check queues {} / {} not declared on the {} broker ({}); delayed close checks wait in the "
                            + "outbox and the polling job closes on time meanwhile",
                    closeQueue,
                    deadLetterQueue,
                    flavour,
                    Causes.rootMessage(e));
        }
    }

    /** The arguments a lane is declared with on this flavour of broker. */
    public Map<String, Object> laneArguments(Flavour current) {
        return current == Flavour.QPID
                ? Map.of("alternateBinding", Map.of("destination", closeQueue), "expiryPolicy", "ROUTE_TO_ALTERNATE")
                : Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", closeQueue);
    }

    private static Map<String, Object> closeQueueArguments(Flavour current) {
        return current == Flavour.QPID ? Map.of("minimumMessageTtl", Long.MAX_VALUE) : null;
    }
}
