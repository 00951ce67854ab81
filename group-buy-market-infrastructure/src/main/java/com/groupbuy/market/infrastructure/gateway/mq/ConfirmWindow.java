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
 * the window is shut and the rest of the page is not published.
 */
final class ConfirmWindow {

    private final int size;
    private final long waitNanos;
    private final ArrayDeque<CorrelationData> unconfirmed = new ArrayDeque<>();
    private boolean shut;

    ConfirmWindow(int size, Duration wait) {
        if (size < 1) {
            throw new IllegalArgumentException("a confirm window holds at least one publish");
        }
        this.size = size;
        this.waitNanos = wait.toNanos();
    }

    /**
     * Whether one more publish may go out: at once while fewer than {@code size} are unconfirmed, else once the oldest
     * is confirmed (or failed: the broker answered) within the wait. False from the first wait that ran out on. An
     * interrupt does not cut the wait (as the page's confirm wait, {@link CloseCheckPublisher}); it is kept.
     */
    boolean admit() {
        if (shut) {
            return false;
        }
        boolean interrupted = false;
        try {
            while (unconfirmed.size() >= size) {
                CorrelationData oldest = unconfirmed.peekFirst();
                long deadline = System.nanoTime() + waitNanos;
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
                unconfirmed.pollFirst();
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a wait ran out: nothing more of the page goes out. */
    boolean shut() {
        return shut;
    }

    /** A publish that went out and waits for its confirm. */
    void published(CorrelationData correlation) {
        unconfirmed.addLast(correlation);
    }
}
