package com.groupbuy.market.infrastructure.gateway.mq;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.infrastructure.gateway.OwnSocketFaults;
import com.groupbuy.market.infrastructure.ids.UniqueIds;
import com.groupbuy.market.types.exception.Causes;
import com.groupbuy.market.types.mq.AmqpShortString;
import com.groupbuy.market.types.security.WebhookSignature;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
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
 * Publishes a callback task on the notify exchange: persistent, {@code application/json}, mandatory, message id and
 * {@code webhook-*} headers exactly as the HTTP callback carries them. Delivered only when the broker confirmed this
 * publish (correlated to this attempt) and did not return it as unroutable; a nack, a return, no confirm in time or a
 * lost connection is a failed attempt, reported, never thrown, never guessed to be a success. Our own refund event
 * ({@link NotifyRoutes#REFUND_EVENT_KEY}) goes to our internal exchange, which malls never bind; an isolated partner's
 * messages go to its own exchange ({@link MqExchangeGuard#exchangeOf}), on a channel of their own, and wait, not sent,
 * while the broker refuses that exchange ({@link DeliveryResult#exchangeRefused}): its declare, or a publish on it
 * (403, our user may not write there; the broker closes the channel, which took the other partners' publishes of the
 * batch with it when they shared it). A message larger than the broker's {@code max_message_size} FAILs at once
 * ({@link DeliveryResult#undeliverable}), and the other messages its channel's close took wait, not sent
 * ({@link DeliveryResult#channelClosed}). While our broker blocks our publisher connection (a memory or disk alarm)
 * nothing more is published and the callbacks wait, not sent, no try used ({@link DeliveryResult#brokerBlocked}).
 */
@Slf4j
public class AmqpNotifyGateway implements INotifyGateway {

    private final RabbitTemplate template;
    private final MqExchangeGuard exchange;
    private final BiFunction<String, String, String> secretOf;
    private final Clock clock;
    private final Duration confirmTimeout;

    /**
     * A page's publishes on their way unconfirmed at most ({@link ConfirmWindow}), as a page of close checks
     * ({@link CloseCheckPublisher}): the broker that blocks us reads nothing more, and what a page writes on past its
     * last read must fit the socket's buffers, or the page's thread hangs in the write until the alarm lifts.
     */
    static final int UNCONFIRMED_MAX = 128;

    /**
     * And their bytes at most (bodies and {@link #PUBLISH_OVERHEAD} each): a callback's body is the partner's
     * settlement or refund, a completion lists every member of its team (a team of 10,000: about 1 MB), so 128 of them
     * may be far more than a loopback or LAN socket's buffers hold. A body larger than this goes out alone, once every
     * earlier publish of its page is confirmed.
     */
    static final long UNCONFIRMED_BYTES_MAX = 128 * 1024;

    /** A publish's frames besides its body, counted into the window: method, properties, {@code webhook-*} headers. */
    static final int PUBLISH_OVERHEAD = 512;

    /**
     * How long a callback not published because our broker blocks us waits, no try used: one run of the notify job
     * (every 5 s locally), so it goes out within about a run of the alarm lifting. An alarm lasts until the broker has
     * freed memory or disk, seconds at the least; a second (a closed channel's wait) would have every waiting task
     * claimed and put back again several times over each run, for nothing.
     */
    static final Duration BLOCKED_RETRY_IN = Duration.ofSeconds(5);

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
     * Publishes every task of a channel's group, then awaits their confirms together, before the next group: one
     * broker round trip for each group (the shared exchange's, and each isolated partner's) instead of one per task.
     * The whole batch, publishes included, is bounded by the confirm timeout counted from its start, which
     * is the window the delivery service leases the batch for. Each confirm is correlated to its own publish, so a
     * return, a nack or a missing confirm fails only that task; after a failed publish (the connection is likely
     * gone) the rest of the batch is not published and fails with the same reason, unless the broker refused the
     * publish on an isolated partner's own exchange (403 on that partner's channel): that partner is refused and its
     * tasks wait, no try used, and the rest of the batch goes on. At most {@link #UNCONFIRMED_MAX} publishes (and
     * {@link #UNCONFIRMED_BYTES_MAX} bytes) of the page are on their way unconfirmed, on all its channels together
     * (they share the connection and its socket): the next waits for the oldest's confirm, and once one does not
     * come within the page's bound, or once the page's time ran out, nothing more of the page is published: not sent,
     * no try used, as while the broker blocks us (MqBlockedCallbackPageIT).
     */
    @Override
    public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
        long start = System.nanoTime();
        long deadline = start + confirmTimeout.toNanos();
        DeliveryResult[] results = new DeliveryResult[tasks.size()];
        String refusal = exchange.ensureDeclared();
        String blockedNow = refusal == null ? null : exchange.blocked();
        if (blockedNow != null) {
            // Our broker's alarm, no fault of any partner: nothing is published, no try used.
            Arrays.fill(results, brokerBlocked(blockedNow));
            return Arrays.asList(results);
        }
        if (refusal != null) {
            // No connection to declare on for a fault of our own process: nothing reached the broker, no try used.
            String ours = exchange.ownFault();
            Arrays.fill(
                    results,
                    ours != null
                            ? OwnSocketFaults.notSent(clock.instant(), ours)
                            : failed(start, "not published: " + refusal));
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
        // Tasks whose publish went to the broker, or was stopped by an earlier one that failed: those a refusing
        // broker's channel close takes with it.
        boolean[] onChannel = new boolean[tasks.size()];
        // The shared and internal exchanges' tasks on one channel, each isolated partner's on a channel of its own: the
        // broker answers a publish it refuses (our user may not write to that partner's exchange: 403) by closing the
        // channel, which took every later publish of the batch and the confirms still on their way with it, the other
        // partners' tasks charged a try at each page until they FAILed.
        Map<String, List<Integer>> channels = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            if (results[i] == null) {
                channels.computeIfAbsent(isolatedExchangeOf(tasks.get(i)), k -> new ArrayList<>())
                        .add(i);
            }
        }
        // Every group's channel (the shared one under null): the broker closes one refusing a message larger than its
        // max_message_size, and an isolated partner's refusing our write to its exchange.
        Map<String, Channel> groupChannels = new LinkedHashMap<>();
        ConfirmWindow window = new ConfirmWindow(UNCONFIRMED_MAX, UNCONFIRMED_BYTES_MAX, confirmTimeout);
        String batchFailure = null;
        String channelsBusy = null;
        for (Map.Entry<String, List<Integer>> group : channels.entrySet()) {
            if (channelsBusy != null) {
                // No channel was free for an earlier group: these wait with it, not sent, no try used, rather than
                // each waiting for a channel again past the batch's deadline.
                String busy = channelsBusy;
                unsent(group.getValue(), published, results, () -> PublisherChannels.waiting(clock.instant(), busy));
                continue;
            }
            if (batchFailure != null) {
                String reason = "not published: an earlier publish of its batch failed: " + batchFailure;
                unsent(group.getValue(), published, results, () -> failed(start, reason));
                continue;
            }
            if (window.shut()) {
                // The broker confirmed nothing of the window in time: a channel's open would wait for it as well.
                String reason = pageStopped(deadline, window);
                unsent(group.getValue(), published, results, () -> brokerBlocked(reason));
                continue;
            }
            Channel[] target = new Channel[1];
            String failure;
            // One channel per group: sent one by one, each publish would take a channel of the cache, and a channel
            // with confirms outstanding goes back to the cache only once they arrived, so a batch would open new
            // channels (a broker round trip each) for most of its messages.
            try {
                failure = template.invoke(operations -> {
                    Channel held = operations.execute(c -> c);
                    target[0] = PageChannel.target(held);
                    try {
                        String publishFailure = publishAll(
                                operations,
                                tasks,
                                group.getValue(),
                                new Batch(published, onChannel, results, window),
                                start,
                                deadline);
                        // Awaited before the channel is given back, not after the batch: a channel handed back with
                        // confirms on their way can come back from Spring's cache empty (as CloseCheckPublisher's
                        // publishAndAwait says; AmqpNotifyGatewayRefusedChannelIT). One confirm round trip per group.
                        awaitConfirms(group.getValue(), published, results, start, deadline);
                        return publishFailure;
                    } finally {
                        // Unless a confirm did not come in time: then the channel is closed, not cached (PageChannel).
                        PageChannel.closeUnlessConfirmed(
                                held, group.getValue().stream().map(i -> published[i]));
                    }
                });
            } catch (AmqpException e) {
                channelsBusy = PublisherChannels.busy(e);
                if (channelsBusy != null) {
                    // Every channel the publisher may hold is taken (our bound, or the broker's channel_max): nothing
                    // of this group was published, and nothing is wrong with it, its partner or the broker.
                    String busy = channelsBusy;
                    unsent(
                            group.getValue(),
                            published,
                            results,
                            () -> PublisherChannels.waiting(clock.instant(), busy));
                    continue;
                }
                String ours = OwnSocketFaults.of(e);
                if (ours != null) {
                    // No connection for a fault of our own process (out of descriptors or local ports): nothing of
                    // this group reached the broker; it waits, no try used, and the broker counts no failure.
                    unsent(group.getValue(), published, results, () -> OwnSocketFaults.notSent(clock.instant(), ours));
                    continue;
                }
                // No channel to publish on (the connection is gone, or its open timed out): whatever was not published
                // fails with the reason.
                StrandedChannels.free(e);
                exchange.forget();
                failure = Causes.rootMessage(e);
                String reason = "AMQP publish failed: " + failure;
                unsent(group.getValue(), published, results, () -> failed(start, reason));
            }
            ShutdownSignalException closed = null;
            if (target[0] != null) {
                groupChannels.put(group.getKey(), target[0]);
                closed = target[0].getCloseReason();
            }
            if (failure != null
                    && MqExchangeGuard.messageSizeLimit(closed) < 0
                    && (group.getKey() == null || !MqExchangeGuard.accessRefused(closed))) {
                // A channel the broker closed for one message too large is no failure of the connection: the other
                // groups' channels are as good as before.
                batchFailure = failure;
            }
        }
        // What a group published before a failure that ended its invoke (none else is left without a result by now).
        for (List<Integer> group : channels.values()) {
            awaitConfirms(group, published, results, start, deadline);
        }
        groupChannels.forEach((key, channel) -> {
            ShutdownSignalException closed = channel.getCloseReason();
            long limit = MqExchangeGuard.messageSizeLimit(closed);
            if (limit >= 0) {
                holdTooLarge(tasks, channels.get(key), onChannel, results, closed, limit, start);
            } else if (key != null && MqExchangeGuard.accessRefused(closed)) {
                holdRefused(tasks, channels.get(key), onChannel, results, closed);
            }
        });
        return Arrays.asList(results);
    }

    /** Each task of {@code group} published and still without a result gets its publish's confirm (or return). */
    private void awaitConfirms(
            List<Integer> group, CorrelationData[] published, DeliveryResult[] results, long start, long deadline) {
        for (int i : group) {
            if (published[i] != null && results[i] == null) {
                results[i] = awaitConfirm(published[i], start, deadline);
            }
        }
    }

    /** Gives each task of {@code group} neither answered nor published yet the result {@code result} makes. */
    private static void unsent(
            List<Integer> group,
            CorrelationData[] published,
            DeliveryResult[] results,
            Supplier<DeliveryResult> result) {
        for (int i : group) {
            if (results[i] == null && published[i] == null) {
                results[i] = result.get();
            }
        }
    }

    /** The isolated partner's own exchange the task goes to; null for the shared and the internal exchange. */
    private String isolatedExchangeOf(NotifyTaskVO task) {
        String target = targetOf(task);
        return target.equals(exchange.exchange()) || target.equals(exchange.internalExchange()) ? null : target;
    }

    /**
     * The broker closed an isolated partner's channel refusing a publish on its exchange (403: our user may not write
     * there): the partner is marked refused, as for a refused declare, and its tasks of this batch that were not
     * delivered wait, no try used ({@link DeliveryResult#exchangeRefused}); its next tasks wait without a publish until
     * the refusal's retry.
     */
    private void holdRefused(
            List<NotifyTaskVO> tasks,
            List<Integer> group,
            boolean[] onChannel,
            DeliveryResult[] results,
            ShutdownSignalException closed) {
        NotifyTaskVO first = tasks.get(group.get(0));
        String why = exchange.publishRefused(first.getSource(), first.getChannel(), closed);
        Instant until = clock.instant().plus(exchange.partnerRetryIn(first.getSource(), first.getChannel()));
        for (int i : group) {
            if (onChannel[i] && !results[i].delivered()) {
                results[i] = DeliveryResult.exchangeRefused(until, why);
            }
        }
    }

    /**
     * The broker closed a group's channel refusing a message larger than its {@code max_message_size} ({@code limit}
     * bytes; 406 PRECONDITION_FAILED), and with it every later publish on the channel and the confirms still on their
     * way. The group's messages over the limit FAIL at once ({@link DeliveryResult#undeliverable}: every retry would be
     * refused alike, and would close the channel again); the others the close took were refused for none of their
     * own: they wait, not sent, no try used, and go out again shortly ({@link DeliveryResult#channelClosed}). The
     * broker answered as a healthy one: none of this counts against the breaker every MQ partner shares.
     */
    private void holdTooLarge(
            List<NotifyTaskVO> tasks,
            List<Integer> group,
            boolean[] onChannel,
            DeliveryResult[] results,
            ShutdownSignalException closed,
            long limit,
            long start) {
        if (exchange.messageSizeRefused(limit)) {
            log.error(
                    "MQ broker refuses messages larger than its max_message_size of {} bytes (406 PRECONDITION_FAILED):"
                            + " each larger callback FAILs at once; raise max_message_size on the broker, then re-drive"
                            + " them",
                    limit);
        }
        String refusal = MqExchangeGuard.refusedText(closed);
        Instant until = clock.instant().plus(PublisherChannels.RETRY_IN);
        for (int i : group) {
            if (!onChannel[i] || results[i] == null || results[i].delivered()) {
                continue;
            }
            int size = tasks.get(i).getBody().getBytes(StandardCharsets.UTF_8).length;
            results[i] = size > limit
                    ? tooLarge(start, size, limit, "refused: " + refusal)
                    : DeliveryResult.channelClosed(
                            until,
                            "the broker closed the MQ channel refusing another message of the batch larger than its"
                                    + " max_message_size (" + refusal + ")");
        }
    }

    /** An MQ callback of {@code size} bytes the broker's {@code max_message_size} of {@code limit} bytes refuses. */
    private static DeliveryResult tooLarge(long start, int size, long limit, String how) {
        return DeliveryResult.undeliverable(
                elapsedMs(start),
                "AMQP message of " + size + " bytes is larger than the broker's max_message_size of " + limit
                        + " bytes (" + how + "); not retried: raise max_message_size on the broker, then re-drive");
    }

    /** A page's publishes, which of its tasks went to a channel, their results, and its confirm window. */
    private record Batch(
            CorrelationData[] published, boolean[] onChannel, DeliveryResult[] results, ConfirmWindow window) {}

    /**
     * Publishes the group's tasks in order on one channel; stops publishing at the first failure, when time runs out,
     * once the broker blocks the connection or once the page's confirm window shut. Returns why a publish failed, null
     * when none did.
     */
    private String publishAll(
            RabbitOperations operations,
            List<NotifyTaskVO> tasks,
            List<Integer> group,
            Batch batch,
            long start,
            long deadline) {
        CorrelationData[] published = batch.published();
        boolean[] onChannel = batch.onChannel();
        DeliveryResult[] results = batch.results();
        String publishFailure = null;
        for (int i : group) {
            NotifyTaskVO task = tasks.get(i);
            String unframeable;
            String blocked;
            if (task.getNotifyMq() == null || task.getNotifyMq().isBlank()) {
                results[i] = failed(start, "MQ task without a routing key");
            } else if ((unframeable = unframeable(task)) != null) {
                results[i] = failed(start, "not published: " + unframeable);
            } else if (publishFailure != null) {
                onChannel[i] = true;
                results[i] = failed(start, "not published: an earlier publish of its batch failed: " + publishFailure);
            } else if ((blocked = exchange.blocked()) != null) {
                // The broker stopped reading from the connection at a publish of this page (or another's): what
                // is written now only fills the socket's buffers, and once they are full the write blocks this thread,
                // past the page's deadline, until the alarm lifts (MqBlockedBrokerIT: a page of 6,000). Not sent, no
                // try used: our broker's alarm is no fault of the partner's.
                results[i] = brokerBlocked(blocked);
            } else if (System.nanoTime() - deadline > 0) {
                // The page's own time ran out before this publish (the broker answered its channel's open or its
                // earlier publishes slowly): our pacing, no fault of the partner's. Not sent, no try used, as once
                // the window shut at the page's bound (MqBlockedCallbackPageIT).
                results[i] = brokerBlocked(pageStopped(deadline, batch.window()));
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
                long limit = exchange.maxMessageSize();
                if (limit >= 0 && message.getBody().length > limit) {
                    // The broker refused a message over this size a moment ago: published, this one would close the
                    // channel, and every later publish of the group with it.
                    results[i] = tooLarge(start, message.getBody().length, limit, "as the broker answered another");
                    continue;
                }
                long bytes = (long) message.getBody().length + PUBLISH_OVERHEAD;
                if (!batch.window().admit(bytes, deadline)) {
                    // No confirm of the window in time: the broker blocks us (its frame saying so may not be read
                    // yet) or reads nothing more; what is written now would only fill the socket's buffers. Not sent,
                    // no try used, as when the block is known (brokerBlocked).
                    results[i] = brokerBlocked(pageStopped(deadline, batch.window()));
                    continue;
                }
                onChannel[i] = true;
                try {
                    published[i] = publish(operations, task, message);
                    batch.window().published(published[i], bytes);
                } catch (AmqpException e) {
                    exchange.forget();
                    publishFailure = Causes.rootMessage(e);
                    results[i] = failed(start, "AMQP publish failed: " + publishFailure);
                }
            }
        }
        return publishFailure;
    }

    /**
     * A callback not published because our broker blocks us ({@code why}: its alarm as the broker told us, the page's
     * confirm window shut, or the page's time ran out before its publish): not sent, no try used, due again
     * {@link #BLOCKED_RETRY_IN} later
     * ({@link DeliveryResult#brokerBlocked}). A window shut without the broker's notice read yet is taken for the same
     * block: a broker that reads our publishes confirms them within milliseconds, so none of 128 confirmed within the
     * confirm timeout is the block read late (MqBlockedCallbackPageIT) or a connection that passes nothing at all; the
     * callbacks behind it were never written either way, and the publishes that were (awaiting their confirms) are the
     * failed attempts that use tries and count against the breaker, so a broker that never answers again still opens
     * it and still moves tasks on towards FAIL.
     */
    private DeliveryResult brokerBlocked(String why) {
        return DeliveryResult.brokerBlocked(clock.instant().plus(BLOCKED_RETRY_IN), why);
    }

    /** Why the rest of a page is not published once its confirm window shut or its time ran out. */
    private String pageStopped(long deadline, ConfirmWindow window) {
        String blocked = exchange.blocked();
        if (blocked != null) {
            return blocked;
        }
        if (System.nanoTime() - deadline >= 0) {
            return "the batch's " + confirmTimeout.toMillis() + " ms ran out while publishing";
        }
        return window.shutReason();
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
            return failed(start, "AMQP confirm failed: " + Causes.rootMessage(e));
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
