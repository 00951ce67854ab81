package com.groupbuy.market.config;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The console appender's queue (logback-spring.xml): the thread that logs only queues the line, and one thread of
 * Logback's writes stdout. Stdout is a pipe in production (journald, a container's log driver, {@code | tee}); when its
 * reader stalls, the pipe's 64 KiB fill and a write to it blocks until the reader reads again. Written synchronously,
 * that write held Logback's appender lock, so every request that logged a line waited behind it: locks and
 * settlements got no answer while health said UP (StalledStdoutIT). Queued, the writing thread waits alone and the
 * queue fills: from 80% full it drops TRACE to INFO lines, when full every line ({@code neverBlock}), instead of
 * blocking the caller. What was dropped is counted ({@link #dropped()}, metric {@code gbm.log.console.dropped}) and
 * told in one WARN when the queue has room again (the reader reads again). A dropped line is an operational line:
 * what payments did is in the database (docs/operations.md, "The console log and a stalled stdout").
 *
 * <p>{@code queued=false} (the test profile) writes on the logging thread as the plain console appender does: captured
 * output is then there as soon as the action returns.
 */
public class ConsoleLogQueue extends AsyncAppender {

    /** Every instance's drops in this JVM: Logback builds a new appender each time Spring Boot resets logging. */
    private static final LongAdder DROPPED = new LongAdder();

    private final AtomicLong untold = new AtomicLong();
    private boolean queued = true;
    private Appender<ILoggingEvent> console;

    /** Lines dropped since the JVM started; counted before the queue's offer, so a race may miss one. */
    public static long dropped() {
        return DROPPED.sum();
    }

    public void setQueued(boolean queued) {
        this.queued = queued;
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        console = appender;
        super.addAppender(appender);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!queued) {
            console.doAppend(event);
            return;
        }
        if (getRemainingCapacity() == 0 || (isQueueBelowDiscardingThreshold() && isDiscardable(event))) {
            DROPPED.increment();
            untold.incrementAndGet();
        } else if (untold.get() > 0) {
            long count = untold.getAndSet(0);
            if (count > 0) {
                super.append(droppedWarning(count));
            }
        }
        super.append(event);
    }

    private ILoggingEvent droppedWarning(long count) {
        LoggerContext context = (LoggerContext) getContext();
        return new LoggingEvent(
                ConsoleLogQueue.class.getName(),
                context.getLogger(ConsoleLogQueue.class),
                Level.WARN,
                "console log stalled: {} lines dropped while stdout was not read (its reader stalled or slow);"
                        + " gbm.log.console.dropped counts them",
                null,
                new Object[] {count});
    }
}
