package com.groupbuy.market.infrastructure.gateway.mq;

import com.groupbuy.market.types.exception.Causes;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ChannelContinuationTimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import lombok.extern.slf4j.Slf4j;

/**
 * Closes the channel a timed-out {@code channel.open} leaves behind. amqp-client (5.25) takes the channel's number and
 * puts the channel in the connection's channel map before it sends the open, and when the open's answer does not come
 * within {@code spring.rabbitmq.channel-rpc-timeout} (a broker alarm: the broker stops reading the connection) it
 * neither gives the number back nor hands the channel to anyone: it stays taken for the connection's life, and once
 * the alarm lifts and the broker reads the open, the channel is open on the broker too, owned by nobody
 * (ChannelStrandIT: each timed-out open left one channel on both sides, until the connection closed; past
 * {@code channel_max}, 2047, the connection could open none). Only the timeout exception carries the channel, so
 * whoever catches a failure that may be one hands it here.
 * <p>
 * The close runs on a thread of its own: it is an RPC too, and while the broker still reads nothing it waits up to
 * 10 s for the answer before the client gives the number back (aborted: the broker reads the open and the close in
 * that order once the alarm lifts and answers both; the client takes numbers round-robin, so the freed one is not
 * handed out again before the other 2,046 were).
 */
@Slf4j
public final class StrandedChannels {

    private static final ExecutorService CLOSER =
            new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "gbm-mq-stranded-channel-close");
                thread.setDaemon(true);
                return thread;
            });

    private StrandedChannels() {}

    /**
     * Closes (off this thread) the channel {@code failure} left behind when it is, or was caused by, a timed-out
     * {@code channel.open}; true when it was one. Any other failure is left alone (its channel, if any, is its
     * owner's).
     */
    public static boolean free(Throwable failure) {
        for (Throwable cause : Causes.of(failure)) {
            if (cause instanceof ChannelContinuationTimeoutException timedOut
                    && timedOut.getMethod() instanceof AMQP.Channel.Open
                    && timedOut.getChannel() instanceof Channel stranded) {
                log.warn(
                        "MQ channel {} did not open within the channel RPC timeout; closing it (the AMQP client "
                                + "keeps it taken otherwise until the connection closes)",
                        timedOut.getChannelNumber());
                CLOSER.execute(() -> abort(stranded));
                return true;
            }
        }
        return false;
    }

    private static void abort(Channel stranded) {
        try {
            stranded.abort();
        } catch (java.io.IOException | RuntimeException e) {
            log.debug("stranded MQ channel {} not closed: {}", stranded.getChannelNumber(), e.toString());
        }
    }
}
