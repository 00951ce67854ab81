package com.groupbuy.market.config;

import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.groupbuy.market.types.exception.Causes;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * What our own RabbitMQ user may do, probed at start as {@link RedisScriptingCheck} probes Redis. A user whose
 * {@code configure}, {@code write} or {@code read} pattern ({@code rabbitmqctl set_permissions}) misses one of our
 * objects is answered {@code ACCESS_REFUSED} only when the service first touches that object, and some it touches only
 * at runtime: a delay lane when the first check of its length goes out, the default exchange at each close check and
 * dead-letter copy, a queue when its consumer starts. On main the service then started "UP" and, for instance, every
 * close check failed its publish until the outbox gave the check up, or the refund consumer retried its
 * {@code basic.consume} every 5 s for ever while the refunds piled up in its queue. A start now runs each operation once
 * on a connection of its own — the active declares of our exchanges and queues (as the service declares them), a
 * throw-away lane ({@code <lane prefix>0s}, exclusive, deleted at once), a publish on each exchange we publish to inside
 * a transaction it rolls back (nothing is delivered), the refund queue's binding, a {@code basic.get} on each queue we
 * consume (a message it may take goes back to its queue when the probe's channel closes) — and refuses to start when
 * the broker refuses any of them, naming each permission that is missing. It also refuses a broker whose
 * {@code channel_max} cannot hold our consumers on their one connection, and a user limit ({@code max-channels}) the
 * probe's own channels, as many as our consumers hold, run into.
 * <p>
 * Only on RabbitMQ (the default profile's embedded Qpid broker knows no such permissions). An isolated partner's own
 * exchange is not probed: a refusal there is that partner's alone ({@code MqExchangeGuard}). A broker that cannot be
 * reached at start, or another answer than {@code ACCESS_REFUSED}, is a WARN, not a refusal: the MQ channel's health
 * and the outbox answer for those.
 */
@Component
@ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
public class MqPermissionCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(MqPermissionCheck.class);

    /** The routing key of the rolled-back probe publishes: routed nowhere, and never delivered anyway. */
    static final String PROBE_KEY = "gbm.permission-probe";

    private final CachingConnectionFactory connectionFactory;
    private final MqProperties mq;
    private final RefundConsumerProperties refunds;
    private final ObjectProvider<CloseCheckTopology> closeChecks;
    private final CloseCheckProperties closeCheckProperties;

    public MqPermissionCheck(
            CachingConnectionFactory connectionFactory,
            MqProperties mq,
            RefundConsumerProperties refunds,
            ObjectProvider<CloseCheckTopology> closeChecks,
            CloseCheckProperties closeCheckProperties) {
        this.connectionFactory = connectionFactory;
        this.mq = mq;
        this.refunds = refunds;
        this.closeChecks = closeChecks;
        this.closeCheckProperties = closeCheckProperties;
    }

    /** One operation of the service, and the permission it needs, in words. */
    private record Probe(String needs, Operation operation) {}

    @FunctionalInterface
    private interface Operation {
        void run(Channel channel) throws IOException, TimeoutException;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Connection connection;
        try {
            connection = connectionFactory.getRabbitConnectionFactory().newConnection("gbm-permission-check");
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.warn("cannot check our RabbitMQ user's permissions at start: {}", Causes.rootMessage(e));
            return;
        }
        try {
            Object product = connection.getServerProperties().get("product");
            if (product == null || !product.toString().toLowerCase(Locale.ROOT).contains("rabbitmq")) {
                return;
            }
            String refusal = refusal(connection);
            if (refusal != null) {
                // No cause: the refusal names the broker's answers, and it is what the operator reads last.
                throw new IllegalStateException(refusal);
            }
        } finally {
            connection.abort();
        }
    }

    private String refusal(Connection connection) {
        CloseCheckTopology topology = closeChecks.getIfAvailable();
        boolean refundConsumer = refunds.isEnabled();
        List<String> problems = new ArrayList<>();
        String channels = channelMaxShortfall(connection.getChannelMax(), topology != null, refundConsumer);
        if (channels != null) {
            problems.add(channels);
        }
        String publisherChannels = publisherChannelMaxShortfall(connection.getChannelMax());
        if (publisherChannels != null) {
            problems.add(publisherChannels);
        }
        List<String> missing = new ArrayList<>();
        boolean answered = true;
        List<Probe> probes = probes(topology, refundConsumer);
        for (Probe probe : probes) {
            Outcome outcome = run(connection, probe);
            if (outcome.refused() != null) {
                missing.add(probe.needs() + " (" + outcome.refused() + ")");
            } else if (outcome.stop()) {
                // No answer (a timeout: the broker blocks the connection in an alarm, say): each further probe would
                // wait as long, and the start with it.
                answered = false;
                break;
            }
        }
        if (answered) {
            int needed = consumerChannels(topology != null, refundConsumer);
            int brokerMax = connection.getChannelMax();
            int consumers = brokerMax == 0 ? needed : Math.min(needed, brokerMax);
            String userLimit = channelLimit(connection, consumers);
            if (userLimit == null) {
                // The consumers' channels still open: the publisher connection's on top of them.
                userLimit = publisherChannelLimit(consumers);
            }
            if (userLimit != null) {
                problems.add(userLimit);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(
                    0,
                    "our RabbitMQ user '" + connectionFactory.getUsername() + "' lacks "
                            + String.join("; ", missing) + ": grant them with rabbitmqctl set_permissions on vhost '"
                            + connectionFactory.getVirtualHost()
                            + "' (docs/operations.md, \"RabbitMQ permissions and limits"
                            + " our user needs\")");
        }
        if (problems.isEmpty() && answered) {
            log.info(
                    "our RabbitMQ user '{}': the broker refused none of the service's {} operations on vhost '{}'",
                    connectionFactory.getUsername(),
                    probes.size(),
                    connectionFactory.getVirtualHost());
        }
        return problems.isEmpty() ? null : "refusing to start: " + String.join("; and ", problems);
    }

    /** The channels our consumers hold on their one connection, and one for its declares. */
    private int consumerChannels(boolean closeCheck, boolean refundConsumer) {
        return (closeCheck ? closeCheckProperties.getConcurrency() : 0)
                + (refundConsumer ? refunds.getConcurrency() : 0)
                + 1;
    }

    /**
     * Opens as many channels at once as our consumers hold on their connection (last: a refusal ends the connection)
     * and returns why the broker refused, or null. A user limit ({@code rabbitmqctl set_user_limits <user>
     * '{"max-channels": N}'}) is nowhere to be read over AMQP, and the broker answers the channel past it by closing
     * the whole connection ({@code 530 NOT_ALLOWED}, measured on 3.10.8): our consumer connection, with every consumer
     * on it, would be closed whenever its consumers reached the limit, and opened again, and closed again.
     */
    private String channelLimit(Connection connection, int channels) {
        int[] opened = new int[1];
        AMQP.Connection.Close close = userLimitClose(connection, channels, opened, "our consumers");
        if (close == null) {
            return null;
        }
        return "our consumers need " + channels + " channels at once on their connection and the broker closed"
                + " the connection after " + opened[0] + " (" + close.getReplyText() + "): every"
                + " consumer on it would be closed with it; raise the user's max-channels limit"
                + " (rabbitmqctl set_user_limits), counting every instance of the service, or lower the"
                + " concurrency";
    }

    /**
     * Opens as many channels at once as the publisher connection may hold ({@code gbm.mq.publisher-channels}), on a
     * second connection while the consumers' are still open (a user limit counts every connection of the user), and
     * returns why the broker refused, or null. Past the limit the broker closes the publisher connection with every
     * publish on it: each lane's page of MQ callbacks and close checks a failed attempt.
     */
    private String publisherChannelLimit(int consumerChannels) {
        Connection publisher;
        try {
            publisher = connectionFactory.getRabbitConnectionFactory().newConnection("gbm-permission-check-publisher");
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.warn("cannot probe the channels our publisher holds: {}", Causes.rootMessage(e));
            return null;
        }
        try {
            int channels = mq.getPublisherChannels();
            int brokerMax = publisher.getChannelMax();
            int[] opened = new int[1];
            AMQP.Connection.Close close = userLimitClose(
                    publisher, brokerMax == 0 ? channels : Math.min(channels, brokerMax), opened, "our publisher");
            if (close == null) {
                return null;
            }
            return "our publisher connection may hold " + channels + " channels at once (gbm.mq.publisher-channels)"
                    + " besides our consumers' " + consumerChannels + " and the broker closed it after " + opened[0]
                    + " (" + close.getReplyText() + "): every MQ callback and close check published on it would fail"
                    + " with it; raise the user's max-channels limit (rabbitmqctl set_user_limits) to their sum at"
                    + " least, counting every instance of the service, or lower gbm.mq.publisher-channels";
        } finally {
            publisher.abort();
        }
    }

    /**
     * Opens {@code channels} channels at once on {@code connection} (counted in {@code opened}); the broker's close of
     * the whole connection past a user limit ({@code 530 NOT_ALLOWED}), or null. A {@code channel_max} reached is
     * reported apart.
     */
    private AMQP.Connection.Close userLimitClose(Connection connection, int channels, int[] opened, String whose) {
        List<Channel> channelsOpened = new ArrayList<>();
        try {
            for (int i = 0; i < channels; i++) {
                Channel channel = connection.createChannel();
                if (channel == null) {
                    return null; // channel_max: reported apart
                }
                channelsOpened.add(channel);
                opened[0]++;
            }
            // The broker refuses the channel past the limit after its open-ok: a round trip on it shows the close.
            if (!channelsOpened.isEmpty()) {
                channelsOpened.get(channelsOpened.size() - 1).basicQos(0);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            ShutdownSignalException closed = connection.getCloseReason();
            if (closed != null
                    && closed.getReason() instanceof AMQP.Connection.Close close
                    && close.getReplyCode() == AMQP.NOT_ALLOWED) {
                return close;
            }
            log.warn("cannot probe the channels {} need: {}", whose, Causes.rootMessage(e));
            return null;
        }
    }

    /**
     * Why the broker's {@code channel_max} cannot hold the channels the publisher connection may hold at once
     * ({@code gbm.mq.publisher-channels}), or null: past it every further publish of a page found no channel and
     * waited in the outbox until channels were freed, on every busy page.
     */
    String publisherChannelMaxShortfall(int channelMax) {
        int channels = mq.getPublisherChannels();
        if (channelMax == 0 || channelMax >= channels) {
            return null;
        }
        return "the broker allows " + channelMax + " channels on a connection (channel_max) and our publisher"
                + " connection may hold " + channels + " (gbm.mq.publisher-channels): lower gbm.mq.publisher-channels"
                + " to " + channelMax + " at most or raise channel_max on the broker";
    }

    /**
     * Why the broker's {@code channel_max} (as negotiated on a connection) cannot hold our consumers, or null. Every
     * consumer of the close-check and refund queues is a channel on the one consumer connection, and the connection's
     * declares need one more: past the limit a consumer gets no channel, and the container that started last (the
     * refund consumer, say) consumed nothing at all, retrying every recovery interval.
     */
    String channelMaxShortfall(int channelMax, boolean closeCheck, boolean refundConsumer) {
        int needed = consumerChannels(closeCheck, refundConsumer);
        if (channelMax == 0 || channelMax >= needed) {
            return null;
        }
        return "the broker allows " + channelMax + " channels on a connection (channel_max) and our consumers need "
                + needed + " on theirs (gbm.close-check.concurrency "
                + (closeCheck ? closeCheckProperties.getConcurrency() : 0)
                + " + gbm.mq.refund-consumer.concurrency " + (refundConsumer ? refunds.getConcurrency() : 0)
                + " + 1 to declare): raise channel_max on the broker or lower the concurrency";
    }

    private List<Probe> probes(CloseCheckTopology topology, boolean refundConsumer) {
        String shared = mq.getExchange();
        String internal = mq.getInternalExchange();
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe(
                "configure on exchange '" + shared + "'",
                channel -> channel.exchangeDeclare(shared, "topic", true, false, null)));
        probes.add(new Probe(
                "configure on exchange '" + internal + "'",
                channel -> channel.exchangeDeclare(internal, "direct", true, false, null)));
        probes.add(new Probe("write on exchange '" + shared + "' (MQ callbacks)", channel -> publish(channel, shared)));
        probes.add(new Probe(
                "write on exchange '" + internal + "' (the refund event)", channel -> publish(channel, internal)));
        if (topology != null || refundConsumer) {
            probes.add(new Probe(
                    "write on exchange 'amq.default' (the default exchange: close checks and dead-letter copies)",
                    channel -> publish(channel, "")));
        }
        if (topology != null) {
            String close = topology.closeQueue();
            String dead = topology.deadLetterQueue();
            String lane = topology.lanePrefix() + "0s";
            probes.add(declared(close));
            probes.add(declared(dead));
            probes.add(new Probe(
                    "configure and read on the delay lanes '" + topology.lanePrefix() + "<N>s' (declared at runtime,"
                            + " one per delay length; probed as '" + lane + "')",
                    channel -> {
                        channel.queueDeclare(
                                lane, false, true, true, topology.laneArguments(CloseCheckTopology.Flavour.RABBITMQ));
                        channel.queueDelete(lane);
                    }));
            probes.add(new Probe(
                    "read on queue '" + close + "' (the close-check consumers)", channel -> get(channel, close)));
        }
        if (refundConsumer) {
            String queue = refunds.getQueue();
            String dead = refunds.getDeadLetterQueue();
            probes.add(declared(queue));
            probes.add(declared(dead));
            probes.add(new Probe(
                    "write on queue '" + queue + "' and read on exchange '" + internal + "' (the refund binding)",
                    channel -> channel.queueBind(queue, internal, NotifyRoutes.REFUND_EVENT_KEY)));
            probes.add(
                    new Probe("read on queue '" + queue + "' (the refund consumer)", channel -> get(channel, queue)));
        }
        return probes;
    }

    /** The active declare of one of our durable queues without arguments, as the service declares it. */
    private static Probe declared(String queue) {
        return new Probe(
                "configure on queue '" + queue + "'", channel -> channel.queueDeclare(queue, true, false, false, null));
    }

    /** A publish the broker checks and the rollback discards: nothing is delivered, whoever binds the exchange. */
    private static void publish(Channel channel, String exchange) throws IOException {
        channel.txSelect();
        channel.basicPublish(exchange, PROBE_KEY, false, MessageProperties.MINIMAL_BASIC, new byte[0]);
        channel.txRollback();
    }

    /** A get without acknowledgement: a message it takes goes back to the queue when the probe's channel closes. */
    private static void get(Channel channel, String queue) throws IOException {
        channel.basicGet(queue, false);
    }

    /** A probe's outcome: the broker's ACCESS_REFUSED text, or whether no more probes should run. */
    private record Outcome(String refused, boolean stop) {}

    /**
     * Runs one probe on a channel of its own (a refusal closes the channel). Other answers of the broker than
     * ACCESS_REFUSED are a WARN; a failure that is no answer at all stops the probing.
     */
    private static Outcome run(Connection connection, Probe probe) {
        Channel channel = null;
        try {
            channel = connection.createChannel();
            if (channel == null) {
                log.warn("cannot probe {}: no channel left on the connection", probe.needs());
                return new Outcome(null, true);
            }
            probe.operation().run(channel);
            return new Outcome(null, false);
        } catch (IOException | TimeoutException | RuntimeException e) {
            AMQP.Channel.Close close = channelClose(e);
            if (close != null && close.getReplyCode() == AMQP.ACCESS_REFUSED) {
                return new Outcome(close.getReplyText(), false);
            }
            log.warn("cannot probe {}: {}", probe.needs(), Causes.rootMessage(e));
            return new Outcome(null, close == null);
        } finally {
            if (channel != null) {
                abort(channel);
            }
        }
    }

    private static void abort(Channel channel) {
        try {
            channel.abort();
        } catch (IOException | RuntimeException e) {
            // the connection is aborted after the probes anyway
        }
    }

    private static AMQP.Channel.Close channelClose(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close) {
                return close;
            }
        }
        return null;
    }
}
