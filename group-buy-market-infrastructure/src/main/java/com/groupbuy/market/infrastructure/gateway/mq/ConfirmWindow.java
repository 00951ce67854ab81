package com.groupbuy.market.infrastructure.gateway.mq;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.rabbit.connection.CorrelationData;

/**
 * How many of a page's publishes may be on their way unconfirmed before the next waits for the oldest's confirm. A
 * broker that blocks us (an alarm) stops reading at our next publish and tells us so in a frame our client reads on
 * another thread; a page thread that wrote on before that frame was read filled the socket's buffers and then hung
 * in the socket write until the alarm lifted (MqBlockedCloseCheckIT, a page of 40,000 checks, under the load of the
 * build's parallel ITs). Bounded, the page writes a few tens of kilobytes past the broker's last read at most, well
 * within the buffers, and then waits on a confirm with a timeout instead: once the oldest is not confirmed within it,
 * the window is shut and the rest of the page is not published. Partners' callbacks ({@link AmqpNotifyGateway}) carry
 * bodies of any size, so their window bounds the unconfirmed bytes as well as the count (MqBlockedCallbackPageIT).
 */
final class ConfirmWindow {

    /** A publish on its way, and its bytes. */
    private record Unconfirmed(CorrelationData correlation, long bytes) {}

    private final int size;
    private final long maxBytes;
    private final long waitNanos;
    private final ArrayDeque<Unconfirmed> unconfirmed = new ArrayDeque<>();

    /** The bytes of every publish in {@link #unconfirmed}. */
    private long bytes;

    private boolean shut;

    /** At most {@code size} publishes unconfirmed, whatever their bytes. */
    ConfirmWindow(int size, Duration wait) {
        this(size, Long.MAX_VALUE, wait);
    }

    /**
     * At most {@code size} publishes and {@code maxBytes} bytes of them unconfirmed; a publish larger than
     * {@code maxBytes} goes out alone, once every earlier one is confirmed.
     */
    ConfirmWindow(int size, long maxBytes, Duration wait) {
        if (size < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a confirm window holds at least one publish");
        }
        this.size = size;
        this.maxBytes = maxBytes;
        this.waitNanos = wait.toNanos();
    }

    /**
     * Whether one more publish may go out: at once while fewer than {@code size} are unconfirmed, else once the oldest
     * is confirmed (or failed: the broker answered) within the wait. False from the first wait that ran out on. An
     * interrupt does not cut the wait (as the page's confirm wait, {@link CloseCheckPublisher}); it is kept.
     */
    boolean admit() {
        return admit(0, System.nanoTime() + waitNanos, false);
    }

    /**
     * Whether one more publish of {@code bytes} may go out, as {@link #admit()}, the window's bytes bounded too; a
     * wait for the oldest's confirm ends at {@code until} ({@link System#nanoTime}) when that comes before the wait
     * would: a page bounded as a whole is not held past its bound.
     */
    boolean admit(long bytes, long until) {
        return admit(bytes, until, true);
    }

    private boolean admit(long next, long until, boolean bounded) {
        if (shut) {
            return false;
        }
        boolean interrupted = false;
        try {
            while (unconfirmed.size() >= size || (!unconfirmed.isEmpty() && bytes + next > maxBytes)) {
                CorrelationData oldest = unconfirmed.peekFirst().correlation();
                long deadline = System.nanoTime() + waitNanos;
                if (bounded && until - deadline < 0) {
                    deadline = until;
                }
                while (!oldest.getFuture().isDone()) {
                    try {
                        oldest.getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        break;
                    } catch (TimeoutException e) {
                        shut = true;
                        return false;
                    }
                }
                bytes -= unconfirmed.pollFirst().bytes();
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Why nothing more of the page goes out once the window shut, as the window knows it (the broker may say more). */
    String shutReason() {
        return "the broker confirmed none of the page's last " + size + " messages"
                + (maxBytes == Long.MAX_VALUE ? "" : " (or " + maxBytes / 1024 + " KB)") + " within "
                + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms";
    }

    /** Whether a wait ran out: nothing more of the page goes out. */
    boolean shut() {
        return shut;
    }

    /** A publish that went out and waits for its confirm. */
    void published(CorrelationData correlation) {
        published(correlation, 0);
    }

    /** A publish of {@code bytes} that went out and waits for its confirm. */
    void published(CorrelationData correlation, long bytes) {
        unconfirmed.addLast(new Unconfirmed(correlation, bytes));
        this.bytes += bytes;
    }
}
