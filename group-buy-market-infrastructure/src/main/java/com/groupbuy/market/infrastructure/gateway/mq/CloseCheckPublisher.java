package com.groupbuy.market.infrastructure.gateway.mq;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberInput;
import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.DelayLeg;
import com.groupbuy.market.types.exception.Causes;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lombok.extern.slf4j.Slf4j;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes a delayed close check (an outbox row of notify type {@code DELAY}, #15) into its delay lane with the time
 * it has left, or straight into the close-check queue when its time has come already (a check published late). Like
 * the partner channel it is delivered only on a positive publisher confirm without a return; anything else is a failed
 * attempt and the outbox tries again on its backoff. While our broker blocks our publisher connection (a memory or disk
 * alarm) nothing more is published and the checks wait, not sent, no try used ({@link DeliveryResult#brokerBlocked}).
 * Never published to the partners' exchange.
 * <p>
 * A bundle is never larger than the broker's {@code max_message_size} once the publisher knows it: the broker refuses a
 * larger message by closing the page's channel ({@code 406 PRECONDITION_FAILED}), which takes every later publish and
 * confirm of the page with it. Such a refusal teaches the limit, kept where the partners' MQ channel keeps it
 * ({@link MqExchangeGuard#maxMessageSize}); the checks of the page not confirmed are published again at once, in
 * bundles split to fit, and so is every later bundle while the limit is known (CloseCheckBundleSizeIT).
 */
@Slf4j
public class CloseCheckPublisher implements INotifyGateway {

    private final RabbitTemplate template;
    private final CloseCheckTopology topology;
    private final Clock clock;
    private final Duration confirmTimeout;
    private final Duration bundleSpread;
    private final int bundleMax;
    /** Why the broker blocks the connection we publish on (an alarm), or null; see {@link #setPublisherBlocked}. */
    private volatile Supplier<String> publisherBlocked = () -> null;
    /**
     * The broker's max_message_size as the MQ channel keeps it ({@link MqExchangeGuard#maxMessageSize}: learned from a
     * refused callback or bundle, for the retry interval on one connection), or -1. The publisher keeps none of its
     * own: one that lasted the process's life split every bundle of a broker whose limit an operator had raised since.
     */
    private volatile LongSupplier knownLimit = () -> -1;
    /** Told the limit the broker refused a bundle at; answers whether it is new ({@link MqExchangeGuard}). */
    private volatile LongPredicate limitRefused = limit -> true;

    /** The bytes of a bundle besides its entries: {@code {"checks":[} and {@code ]}}. */
    private static final int BUNDLE_FRAME_BYTES =
            ("{\"" + CloseCheckVO.BUNDLE_FIELD_CHECKS + "\":[]}").getBytes(StandardCharsets.UTF_8).length;

    /** The size the broker names when it refuses a message larger than its max_message_size. */
    private static final Pattern REFUSED_SIZE = Pattern.compile("message size (\\d{1,18})");

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * A page's messages on their way unconfirmed at most ({@link ConfirmWindow}): about 400 bytes each with their
     * frames, 50 kB, within a loopback or LAN socket's buffers; a group-committed batch of locks publishes fewer.
     */
    static final int UNCONFIRMED_MAX = 128;

    /** Stateless and thread-safe: a parser per body, its buffers recycled. */
    private static final JsonFactory JSON = new JsonFactory();

    /** One check per message (no bundles). */
    public CloseCheckPublisher(
            RabbitTemplate template, CloseCheckTopology topology, Clock clock, Duration confirmTimeout) {
        this(template, topology, clock, confirmTimeout, Duration.ZERO, 1);
    }

    /**
     * {@code template} must be mandatory, on a connection factory with correlated confirms and returns. Checks of a
     * page bound for the same lane whose deadlines lie within {@code bundleSpread} of the bundle's first go out as one
     * message of at most {@code bundleMax} checks, expiring at the latest deadline among them: a check is never
     * consumed before its deadline, and at most {@code bundleSpread} after it (plus what a lone message waits). Zero
     * spread or a maximum of 1: one message per check.
     */
    public CloseCheckPublisher(
            RabbitTemplate template,
            CloseCheckTopology topology,
            Clock clock,
            Duration confirmTimeout,
            Duration bundleSpread,
            int bundleMax) {
        if (bundleSpread.isNegative() || bundleMax < 1) {
            throw new IllegalArgumentException("bundle spread must not be negative, bundle max at least 1");
        }
        this.template = template;
        this.topology = topology;
        this.clock = clock;
        this.confirmTimeout = confirmTimeout;
        this.bundleSpread = bundleSpread;
        // Zero spread is no bundling at all (not a bundle of the checks of one same millisecond, which group-committed
        // locks often share).
        this.bundleMax = bundleSpread.isZero() ? 1 : bundleMax;
    }

    /**
     * What the publisher reads of a check's body: its deadline, its nominal delay (which picks the lane), and whether
     * the body is one JSON object and nothing else (only such a body may be embedded in a bundle).
     */
    record Deadline(Instant closeAt, Duration nominal, boolean bundleable) {

        /** The time left at {@code now}. */
        Duration left(Instant now) {
            return Duration.between(now, closeAt);
        }

        /** The lane and wait of this check published at {@code now} ({@link DelayLeg#of}); null when it is due. */
        DelayLeg leg(Instant now) {
            return closeAt.isAfter(now) ? DelayLeg.of(nominal, left(now)) : null;
        }
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        return deliverAll(List.of(task)).get(0);
    }

    /**
     * Tells the publisher why the broker blocks the connection it publishes on (null while it does not,
     * {@link MqExchangeGuard#blocked}): while it does, nothing is published and every check of a page waits at once,
     * not sent, no try used — a channel's open or a declare there waits for the broker, up to the channel RPC timeout,
     * with the relay or the compensation lane that sends the page.
     */
    public void setPublisherBlocked(Supplier<String> publisherBlocked) {
        this.publisherBlocked = publisherBlocked;
    }

    /**
     * Keeps the broker's {@code max_message_size} where the MQ channel keeps it ({@link MqExchangeGuard}):
     * {@code known} is the limit it knows now (-1: none), {@code refused} is told the limit when the broker refuses a
     * bundle of ours and answers whether it is new. Unset (a publisher of its own in a test), no limit is kept.
     */
    public void setMessageSizeLimit(LongSupplier known, LongPredicate refused) {
        this.knownLimit = known;
        this.limitRefused = refused;
    }

    /** The broker's max_message_size as far as we know it; -1 when unknown. */
    long messageSizeLimit() {
        return knownLimit.getAsLong();
    }

    /**
     * Publishes every check of the batch on one channel, then waits for their confirms together (a batch of checks
     * costs about one confirm round trip, not one per check). Each check's result is its own message's confirm or
     * return (a bundle's, for every check in it). The batch goes out in deadline order: a lane expires messages only
     * at its head, so a check published behind one due later would wait for it (locks commit, and so queue their
     * checks, a little out of their lock-time order).
     */
    @Override
    public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
        long start = System.nanoTime();
        DeliveryResult[] results = new DeliveryResult[tasks.size()];
        String blocked = publisherBlocked.get();
        if (blocked != null) {
            // Our broker's alarm: nothing is published, no try used (as for partners' callbacks).
            Arrays.fill(results, brokerBlocked(blocked));
            return Arrays.asList(results);
        }
        CorrelationData[] correlations = new CorrelationData[tasks.size()];
        String[] queues = new String[tasks.size()];
        Deadline[] deadlines = new Deadline[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            try {
                deadlines[i] = readDeadline(tasks.get(i).getBody());
            } catch (IOException | RuntimeException e) {
                results[i] = failed(start, "close check body unreadable: " + e.getMessage());
            }
        }
        Integer[] order = new Integer[tasks.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                Comparator.comparing(
                        i -> deadlines[i] == null ? null : deadlines[i].closeAt(),
                        Comparator.nullsFirst(Comparator.naturalOrder())));
        Page page = new Page(tasks, deadlines, correlations, queues, results, start);
        ShutdownSignalException closed = publishAndAwait(page, order);
        long limit = MqExchangeGuard.messageSizeLimit(closed);
        if (limit >= 0) {
            // The broker refused a bundle larger than its max_message_size, closing the channel, and every later
            // publish and confirm of the page went with it: the limit learned, the checks not confirmed go out again
            // once, now, in bundles that fit (each was in one refused or unconfirmed message; the consumer's record of
            // each check closes it once should the broker have kept one of them anyway).
            sizeRefused(closed, limit);
            List<Integer> again = new ArrayList<>();
            for (int i : order) {
                if (deadlines[i] != null && !results[i].delivered()) {
                    again.add(i);
                    results[i] = null;
                    correlations[i] = null;
                    queues[i] = null;
                }
            }
            publishAndAwait(page, again.toArray(Integer[]::new));
        }
        return Arrays.asList(results);
    }

    /**
     * The broker refused a message larger than {@code limit} bytes: the MQ channel keeps the limit, and a WARN when it
     * is new, worded for the bundle refused.
     */
    private void sizeRefused(ShutdownSignalException closed, long limit) {
        if (limitRefused.test(limit)) {
            String refusal = MqExchangeGuard.refusedText(closed);
            Matcher size = REFUSED_SIZE.matcher(refusal);
            log.warn(
                    "close-check bundle of {} bytes refused: larger than the broker's max_message_size of {} bytes"
                            + " ({}). Its page's checks are published again at once and every bundle is split to fit"
                            + " while the limit is known (gbm.mq.declare-retry, or until a new connection; MQ callbacks"
                            + " larger than it FAIL at once meanwhile); gbm.close-check.bundle-max {} (about 164 bytes"
                            + " a check) is too large for this broker",
                    size.find() ? size.group(1) : "?",
                    limit,
                    refusal,
                    bundleMax);
        }
    }

    /**
     * A page of checks: each index's task, its deadline (null: unreadable), the correlation and lane of the message it
     * went out in, its result; {@code start} the page's ({@link System#nanoTime}).
     */
    private record Page(
            List<NotifyTaskVO> tasks,
            Deadline[] deadlines,
            CorrelationData[] correlations,
            String[] queues,
            DeliveryResult[] results,
            long start) {}

    /**
     * Publishes the checks of {@code order} that have no result yet on one channel and waits for their confirms;
     * returns why the broker closed that channel, null while it is open (or none was had).
     */
    private ShutdownSignalException publishAndAwait(Page page, Integer[] order) {
        List<NotifyTaskVO> tasks = page.tasks();
        CorrelationData[] correlations = page.correlations();
        DeliveryResult[] results = page.results();
        long start = page.start();
        Channel[] channel = new Channel[1];
        // One channel for the whole page, as the partner channel does: sent one by one through the template, each
        // publish took a channel of the cache, and a channel with confirms outstanding goes back only once they
        // arrived, so most checks of a page opened a channel of their own (a broker round trip and the broker's CPU
        // for each: RabbitMQ used 0.56 ms of CPU per lock opening a team, 2026-12-01).
        ConfirmWindow window = new ConfirmWindow(UNCONFIRMED_MAX, confirmTimeout);
        try {
            template.invoke(operations -> {
                Channel held = operations.execute(c -> c);
                channel[0] = PageChannel.target(held);
                try {
                    publishAll(operations, page, order, window);
                    // Awaited before the channel is given back, not after (CloseCheckRefusedRepublishIT). Given back
                    // with confirms on their way, Spring AMQP (3.2) waits for them on the channel's proxy on a thread
                    // of its own, and when the broker closes the channel under that wait (a bundle refused for its
                    // size) it opens a new channel on the proxy and closes it a moment later, the proxy back in the
                    // cache meanwhile (its confirms answered, failed by the close): the page published again at once
                    // took it, and every publish after that close failed ("NullPointerException: null",
                    // RabbitTemplate.addListener putting the proxy's channel, null, into a map). Awaited here, a
                    // channel the broker closed is closed when it is given back and Spring drops it; an open one goes
                    // back to the cache with nothing on its way.
                    awaitConfirms(page, window);
                } finally {
                    // Unless a confirm did not come in time: then the channel is closed, not cached (PageChannel).
                    PageChannel.closeUnlessConfirmed(held, Arrays.stream(correlations));
                }
                return null;
            });
        } catch (AmqpException e) {
            logOwnFault(e);
            // Every channel the publisher may hold taken (PublisherChannels): the checks wait, no try used. Else no
            // channel to publish on (the connection is gone, or its open timed out): whatever was not published
            // fails with the reason.
            String busy = PublisherChannels.busy(e);
            StrandedChannels.free(e);
            String reason = "AMQP publish failed: " + Causes.rootMessage(e);
            for (int i = 0; i < tasks.size(); i++) {
                if (results[i] == null && correlations[i] == null) {
                    results[i] =
                            busy != null ? PublisherChannels.waiting(clock.instant(), busy) : failed(start, reason);
                }
            }
        }
        // What went out before a failure that ended the invoke (none else is left without a result by now).
        awaitConfirms(page, window);
        // Read once every confirm came: a channel's close fails the confirms still on their way as it completes.
        return channel[0] == null ? null : channel[0].getCloseReason();
    }

    /** Each published check of the page still without a result gets its message's confirm (or return), in time. */
    private void awaitConfirms(Page page, ConfirmWindow window) {
        DeliveryResult[] results = page.results();
        CorrelationData[] correlations = page.correlations();
        // A window shut has waited the confirm timeout already on a message older than every one still unconfirmed.
        long deadline = System.nanoTime() + (window.shut() ? 0 : confirmTimeout.toNanos());
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null && correlations[i] != null) {
                // Checks of one bundle share its correlation: the future is already complete for all but the first.
                results[i] = awaitConfirm(correlations[i], page.queues()[i], page.start(), deadline);
            }
        }
    }

    /**
     * Reads {@value CloseCheckVO#FIELD_CLOSE_AT} and {@value CloseCheckVO#FIELD_DELAY_MS} of a check's body as a stream
     * of tokens (#19: a tree of the whole body per check was most of the publisher's own bytes), with the tree's
     * reading of them: a field missing, or not a number, reads as 0; malformed JSON in the root value fails. A body
     * is bundleable only when it is one JSON object with nothing after it. The body goes out as it was stored,
     * whatever is read here.
     */
    static Deadline readDeadline(String body) throws IOException {
        long closeAt = 0;
        long delayMs = 0;
        boolean object;
        boolean alone;
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token = parser.nextToken();
            object = token == JsonToken.START_OBJECT;
            if (object) {
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    token = parser.nextToken();
                    if (CloseCheckVO.FIELD_CLOSE_AT.equals(field)) {
                        closeAt = asLong(parser, token);
                    } else if (CloseCheckVO.FIELD_DELAY_MS.equals(field)) {
                        delayMs = asLong(parser, token);
                    }
                    parser.skipChildren();
                }
            } else {
                // As the tree: a body that is not an object has neither field; its own value is still read whole.
                parser.skipChildren();
            }
            alone = nothingFollows(parser);
        }
        return new Deadline(Instant.ofEpochMilli(closeAt), Duration.ofMillis(delayMs), object && alone);
    }

    /** Whether the root value is all there is (what follows it is otherwise never read; here it only unbundles). */
    private static boolean nothingFollows(JsonParser parser) {
        try {
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** A field's value as {@code JsonNode.asLong()} reads it (numbers, numeric text, booleans; else 0). */
    private static long asLong(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT -> parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> (long) parser.getDoubleValue();
            case VALUE_STRING -> NumberInput.parseAsLong(parser.getText(), 0);
            case VALUE_TRUE -> 1;
            default -> 0;
        };
    }

    /**
     * Publishes the page's checks in deadline order on one channel, consecutive checks of one lane within the spread
     * as one bundle; a check whose publish failed has its result, and so has every check left once the broker blocks
     * the connection.
     */
    private void publishAll(RabbitOperations operations, Page page, Integer[] order, ConfirmWindow window) {
        Deadline[] deadlines = page.deadlines();
        DeliveryResult[] results = page.results();
        int[] bundle = new int[bundleMax];
        int size = 0;
        String bundleQueue = null;
        for (int i : order) {
            if (results[i] != null) {
                continue;
            }
            Deadline deadline = deadlines[i];
            String queue;
            boolean reaches;
            try {
                Instant now = clock.instant();
                DelayLeg leg = deadline.leg(now);
                queue = leg == null ? null : topology.lane(leg.lane());
                reaches = leg == null || leg.reaches(deadline.left(now));
            } catch (AmqpException e) {
                logOwnFault(e);
                StrandedChannels.free(e);
                results[i] = failed(page.start(), "AMQP publish failed: " + Causes.rootMessage(e));
                continue;
            }
            // Only checks bound for a lane are bundled (one already due goes out at once, alone; one that hops goes
            // alone too), and only while the bundle's first check is within the spread of this one's deadline.
            boolean joins = size > 0
                    && size < bundleMax
                    && queue != null
                    && reaches
                    && queue.equals(bundleQueue)
                    && deadline.bundleable()
                    && !deadline.closeAt()
                            .isAfter(deadlines[bundle[0]].closeAt().plus(bundleSpread));
            if (!joins && size > 0) {
                send(operations, page, bundle, size, window);
                size = 0;
            }
            bundle[size++] = i;
            bundleQueue = queue;
            if (queue == null || !reaches || !deadline.bundleable() || bundleMax == 1) {
                send(operations, page, bundle, size, window);
                size = 0;
                bundleQueue = null;
            }
        }
        if (size > 0) {
            send(operations, page, bundle, size, window);
        }
    }

    /**
     * The bundle as one message, or, when it is larger than the broker's known max_message_size, as consecutive parts
     * that each fit (each check in exactly one of them, in deadline order).
     */
    private void send(RabbitOperations operations, Page page, int[] bundle, int size, ConfirmWindow window) {
        long limit = messageSizeLimit();
        if (limit < 0) {
            sendOne(operations, page, bundle, size, window);
            return;
        }
        for (int[] part : fit(page.tasks(), bundle, size, limit)) {
            NotifyTaskVO alone = page.tasks().get(part[0]);
            int bytes = alone.getBody().getBytes(StandardCharsets.UTF_8).length;
            if (part.length == 1 && bytes > limit) {
                // Published, it would close the channel again, and every later publish of the page with it.
                page.results()[part[0]] = failed(
                        page.start(),
                        "close check of " + bytes + " bytes is larger than the broker's max_message_size of " + limit
                                + " bytes; not published");
                continue;
            }
            sendOne(operations, page, part, part.length, window);
        }
    }

    /**
     * The bundle's first {@code size} checks as consecutive parts whose bundle bodies are at most {@code limit} bytes
     * ({@link #bundleBody}); a check larger than that on its own is a part of its own.
     */
    static List<int[]> fit(List<NotifyTaskVO> tasks, int[] bundle, int size, long limit) {
        List<int[]> parts = new ArrayList<>();
        int from = 0;
        long bytes = BUNDLE_FRAME_BYTES;
        for (int k = 0; k < size; k++) {
            StringBuilder entry = new StringBuilder();
            appendEntry(entry, tasks.get(bundle[k]));
            long entryBytes = entry.toString().getBytes(StandardCharsets.UTF_8).length;
            if (k > from && bytes + 1 + entryBytes > limit) {
                parts.add(Arrays.copyOfRange(bundle, from, k));
                from = k;
                bytes = BUNDLE_FRAME_BYTES;
            }
            bytes += (k > from ? 1 : 0) + entryBytes;
        }
        if (size > from) {
            parts.add(Arrays.copyOfRange(bundle, from, size));
        }
        return parts;
    }

    /** One message: the check's own body when alone, else the bundle's; expiring at the latest deadline in it. */
    private void sendOne(RabbitOperations operations, Page page, int[] bundle, int size, ConfirmWindow window) {
        List<NotifyTaskVO> tasks = page.tasks();
        Deadline[] deadlines = page.deadlines();
        DeliveryResult[] results = page.results();
        long start = page.start();
        String blocked = publisherBlocked.get();
        if (blocked == null && !window.admit()) {
            // The broker confirmed nothing of the window in time: it blocks us (its frame saying so may be read by
            // now) or reads nothing more; what is written now would only fill the socket's buffers.
            blocked = publisherBlocked.get();
            if (blocked == null) {
                blocked = window.shutReason();
            }
        }
        if (blocked != null) {
            // The broker stopped reading from the connection at a publish of this page (or another's): what is
            // written now only fills the socket's buffers, and once they are full the write blocks the page's thread
            // until the alarm lifts (MqBlockedCloseCheckIT: a page of 40,000 checks). Not sent, no try used.
            DeliveryResult notSent = brokerBlocked(blocked);
            for (int k = 0; k < size; k++) {
                results[bundle[k]] = notSent;
            }
            return;
        }
        NotifyTaskVO first = tasks.get(bundle[0]);
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        // A bundle's own id is its first check's with the count; each check keeps its id inside the body.
        properties.setMessageId(size == 1 ? first.getWebhookId() : first.getWebhookId() + "+" + size);
        // Unique per publish (a re-publish of the same check is another confirm); no UUID: SecureRandom is one
        // shared lock, and it was contended under the lock benchmark.
        CorrelationData correlation = new CorrelationData(first.getWebhookId() + "/" + SEQUENCE.incrementAndGet());
        Instant latest = deadlines[bundle[size - 1]].closeAt();
        String queue;
        try {
            // The time left when this very message goes out, not when the batch began.
            Instant now = clock.instant();
            if (latest.isAfter(now)) {
                // A bundle's checks all reach their deadlines in their lane; a check alone may hop (its wait ends
                // before its deadline).
                DelayLeg leg = deadlines[bundle[size - 1]].leg(now);
                queue = topology.lane(leg.lane());
                properties.setExpiration(topology.expiration(size == 1 ? now.plus(leg.expiresIn()) : latest, now));
            } else {
                queue = topology.closeQueueToPublish();
            }
            byte[] body =
                    size == 1 ? first.getBody().getBytes(StandardCharsets.UTF_8) : bundleBody(tasks, bundle, size);
            operations.send("", queue, new Message(body, properties), correlation);
            window.published(correlation);
        } catch (AmqpException e) {
            logOwnFault(e);
            DeliveryResult failed = failed(start, "AMQP publish failed: " + Causes.rootMessage(e));
            for (int k = 0; k < size; k++) {
                results[bundle[k]] = failed;
            }
            return;
        }
        for (int k = 0; k < size; k++) {
            page.correlations()[bundle[k]] = correlation;
            page.queues()[bundle[k]] = queue;
        }
    }

    /**
     * A publish that failed for a fault of ours (a {@code NullPointerException}, say), not the broker's or the
     * network's, is logged with its stack: the checks' recorded error is the root cause's message alone. Seen once in
     * CI (2026-12-07, CloseCheckBundleSizeIT): "AMQP publish failed: NullPointerException: null" for the last checks of
     * a page published again after the broker refused a bundle for its size, with nothing saying where it came from
     * (it was Spring's channel proxy emptied under the page: see {@link #publishAndAwait}).
     */
    private static void logOwnFault(AmqpException e) {
        Throwable root = Causes.root(e);
        if (!(root instanceof IOException
                || root instanceof TimeoutException
                || root instanceof ShutdownSignalException
                || root instanceof AmqpException)) {
            log.warn("close-check publish failed for a fault of ours, not the broker's", e);
        }
    }

    /** {"checks":[{"id":..,"body":<body>},..]}: each body embedded as stored (each is one JSON object). */
    static byte[] bundleBody(List<NotifyTaskVO> tasks, int[] bundle, int size) {
        StringBuilder json = new StringBuilder(size * 160);
        json.append("{\"").append(CloseCheckVO.BUNDLE_FIELD_CHECKS).append("\":[");
        for (int k = 0; k < size; k++) {
            if (k > 0) {
                json.append(',');
            }
            appendEntry(json, tasks.get(bundle[k]));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A check's entry in a bundle: {"id":..,"body":<body>}. */
    private static void appendEntry(StringBuilder json, NotifyTaskVO task) {
        json.append("{\"").append(CloseCheckVO.BUNDLE_FIELD_ID).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(task.getWebhookId(), json);
        json.append("\",\"")
                .append(CloseCheckVO.BUNDLE_FIELD_BODY)
                .append("\":")
                .append(task.getBody())
                .append('}');
    }

    /**
     * Delivered only on a positive confirm of this message that came with no return. An interrupt (the console's stop,
     * the job's timeout) does not cut the wait: the check is published, and the broker's answer comes within the page's
     * bound; the interrupt is kept for the caller, which claims nothing more. Cut, the first confirm still on its way
     * and every later one of the page (the interrupt still set) were failed attempts although the broker had the
     * checks: a try of each used and each published again on the backoff, a second copy for the consumer, and at the
     * end of the schedule a FAIL (NotifyRunStoppedIT), as {@code AmqpNotifyGateway}'s wait did.
     */
    private DeliveryResult awaitConfirm(CorrelationData correlation, String queue, long start, long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    return confirmed(
                            correlation, correlation.getFuture().get(left, TimeUnit.NANOSECONDS), queue, start);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (TimeoutException e) {
            return failed(start, "AMQP confirm not received within " + confirmTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return failed(start, "AMQP confirm failed: " + Causes.rootMessage(e));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private DeliveryResult confirmed(
            CorrelationData correlation, CorrelationData.Confirm confirm, String queue, long start) {
        ReturnedMessage returned = correlation.getReturned();
        if (returned != null) {
            topology.forget(queue);
            return failed(
                    start,
                    "AMQP returned " + returned.getReplyCode() + " " + returned.getReplyText() + ": no queue " + queue);
        }
        if (!confirm.isAck()) {
            return failed(start, "AMQP nack: " + confirm.getReason());
        }
        return new DeliveryResult(true, null, elapsedMs(start), null);
    }

    /**
     * A check not published because our broker blocks our publisher connection ({@code why}: its alarm as the broker
     * told us, or the page's confirm window shut): not sent, no try used, due again
     * {@link AmqpNotifyGateway#BLOCKED_RETRY_IN} later ({@link DeliveryResult#brokerBlocked}), as a partner's callback.
     * Counted as failed attempts, a long alarm walked every check due in it along its backoff, and the team closed late
     * (by the polling job, the backstop). The checks published into the alarm and not confirmed stay failed attempts.
     */
    private DeliveryResult brokerBlocked(String why) {
        return DeliveryResult.brokerBlocked(clock.instant().plus(AmqpNotifyGateway.BLOCKED_RETRY_IN), why);
    }

    private static DeliveryResult failed(long start, String error) {
        return new DeliveryResult(false, null, elapsedMs(start), error);
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
