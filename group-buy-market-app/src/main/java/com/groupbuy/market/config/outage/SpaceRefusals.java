package com.groupbuy.market.config.outage;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The writes the database refused for want of disk space ({@link DependencyOutageResolver#outOfSpace}: 1114, 1021,
 * errno 28), for the {@code db} health component: a full disk has no variable to read (the server answers, reads are
 * served, {@code read_only} is off), and a probe must not write to find out. Each refused statement (its MyBatis id,
 * else the server's message) is held from its refusal until the same statement writes again or {@code
 * gbm.outage.disk-full-health-for} has passed without another refusal of it. Not any write: a full disk still takes
 * the writes that fit in pages a table already holds (a settlement's UPDATE) while it refuses the ones whose table
 * must grow (a lock's INSERT), and health would flip between probes. The window ends a hold nothing clears: a load
 * balancer that took every instance out leaves no partner to send the refused write again, so after the window the
 * component reads UP, partners are sent to it, and a disk still full is refused and held again.
 */
public class SpaceRefusals {

    /** The refusal health reports: the statement refused, the server's message and how long ago. */
    public record Refusal(String statement, String message, Duration ago) {}

    private record Held(String message, long at) {}

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    public SpaceRefusals(Duration window) {
        this(window, System::nanoTime);
    }

    SpaceRefusals(Duration window, LongSupplier nanoTime) {
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** {@code statement} was refused for want of space ({@code message}: the server's). */
    public void refused(String statement, String message) {
        held.put(statement, new Held(message, nanoTime.getAsLong()));
    }

    /** {@code statement} wrote: the space it needed is there again. Costs a look at an empty map otherwise. */
    public void wrote(String statement) {
        if (!held.isEmpty()) {
            held.remove(statement);
        }
    }

    /** The latest refusal still held, else null; refusals past the window are let go. */
    public Refusal latest() {
        long now = nanoTime.getAsLong();
        String statement = null;
        Held latest = null;
        for (Map.Entry<String, Held> entry : held.entrySet()) {
            Held refusal = entry.getValue();
            if (now - refusal.at() >= windowNanos) {
                held.remove(entry.getKey(), refusal);
            } else if (latest == null || refusal.at() - latest.at() > 0) {
                statement = entry.getKey();
                latest = refusal;
            }
        }
        return latest == null ? null : new Refusal(statement, latest.message(), Duration.ofNanos(now - latest.at()));
    }
}
