package com.groupbuy.market.domain.outbox.model.valobj;

import com.groupbuy.market.domain.support.JobLimits;
import java.time.Duration;
import lombok.EqualsAndHashCode;
import lombok.ToString;

/**
 * How the outbox delivers its due callbacks: how long a claim leases a task, how long one send and one MQ batch may
 * take, how many tasks a page and a lease take, how long a run may go on and over how many lanes. Built once at start
 * ({@link #builder}) and checked as a whole, so a lease too short for its sends is refused before any task is taken.
 */
@EqualsAndHashCode
@ToString
public final class DeliverySettings {

    private final Duration lease;
    private final Duration sendWindow;
    private final Duration batchWindow;
    private final int pageSize;
    private final Duration runBudget;
    private final int lanes;
    private final int httpConcurrency;
    private final SendBudget sendBudget;
    private final boolean deferUnsent;

    private DeliverySettings(Builder builder) {
        Duration sendWindow = builder.sendWindow != null ? builder.sendWindow : builder.lease.dividedBy(2);
        Duration batchWindow = builder.batchWindow != null ? builder.batchWindow : sendWindow;
        if (builder.lanes < 1) {
            throw new IllegalArgumentException("runLanes must be at least 1");
        }
        if (sendWindow.isZero() || sendWindow.isNegative() || sendWindow.compareTo(builder.lease) > 0) {
            throw new IllegalArgumentException("the send window must be positive and no longer than the lease");
        }
        if (batchWindow.isZero() || batchWindow.isNegative() || batchWindow.compareTo(builder.lease) > 0) {
            throw new IllegalArgumentException("the batch window must be positive and no longer than the lease");
        }
        this.lease = builder.lease;
        this.sendWindow = sendWindow;
        this.batchWindow = batchWindow;
        this.pageSize = Math.max(1, builder.pageSize);
        this.runBudget = JobLimits.budget("gbm.notify.run-budget", builder.runBudget);
        this.lanes = builder.lanes;
        this.httpConcurrency = Math.max(1, builder.httpConcurrency);
        SendBudget budget = builder.sendBudget != null ? builder.sendBudget : SendBudget.fixed(sendWindow);
        if (!budget.base().equals(sendWindow) || budget.cap().compareTo(lease) > 0) {
            throw new IllegalArgumentException("the send budget (" + budget + ") must start at the send window ("
                    + sendWindow + ") and end within the lease (" + lease + ")");
        }
        this.sendBudget = budget;
        this.deferUnsent = builder.deferUnsent;
    }

    /**
     * A task leased for {@code lease} per claim, pages of up to {@code pageSize} tasks, runs of up to {@code
     * runBudget}; by default one send window of half the lease, an MQ batch as long as one send, one lane on the
     * calling thread, one HTTP send at a time, each as long as the send window whatever its body, and a task the
     * gateway did not send counted as an attempt.
     */
    public static Builder builder(Duration lease, int pageSize, Duration runBudget) {
        return new Builder(lease, pageSize, runBudget);
    }

    /** How long a claim leases its tasks. */
    public Duration lease() {
        return lease;
    }

    /** The longest one delivery sent on its own may take (the gateway's own bound). */
    public Duration sendWindow() {
        return sendWindow;
    }

    /** The longest one MQ batch may take, counted from its first publish. */
    public Duration batchWindow() {
        return batchWindow;
    }

    /** Tasks one claim statement may take, MQ tasks and close checks included. */
    public int pageSize() {
        return pageSize;
    }

    /** How long one run may go on claiming pages. */
    public Duration runBudget() {
        return runBudget;
    }

    /** Lanes a run drains its due tasks over at once. */
    public int lanes() {
        return lanes;
    }

    /** HTTP callbacks of one page the gateway may have in flight at once (1: one after the other). */
    public int httpConcurrency() {
        return httpConcurrency;
    }

    /** How long the send of one HTTP task may take, by its body's size. */
    public SendBudget sendBudget() {
        return sendBudget;
    }

    /** Whether a task the gateway did not send goes back unsent rather than counting as an attempt. */
    public boolean deferUnsent() {
        return deferUnsent;
    }

    /**
     * Tasks sent over HTTP that one lease statement may take: as many rounds of sends as fit in the lease, keeping one
     * send window to spare, each round {@link #httpConcurrency} sends; at least one, at most the page size. So every
     * task is still leased for the whole of its send.
     */
    public int claimBatch() {
        long fit = (lease.toMillis() / sendWindow.toMillis() - 1) * httpConcurrency;
        return (int) Math.max(1, Math.min(pageSize, fit));
    }

    /** The settings' parts beyond the lease, page and run budget, each with its default until set. */
    public static final class Builder {
        private final Duration lease;
        private final int pageSize;
        private final Duration runBudget;
        private Duration sendWindow;
        private Duration batchWindow;
        private int lanes = 1;
        private int httpConcurrency = 1;
        private SendBudget sendBudget;
        private boolean deferUnsent;

        private Builder(Duration lease, int pageSize, Duration runBudget) {
            this.lease = lease;
            this.pageSize = pageSize;
            this.runBudget = runBudget;
        }

        /**
         * The longest one delivery sent on its own may take (the gateway's own bound); it sizes the share of a page
         * sent one by one. Positive and no longer than the lease; by default half the lease (one task per lease).
         */
        public Builder sendWindow(Duration sendWindow) {
            this.sendWindow = sendWindow;
            return this;
        }

        /**
         * The longest one MQ batch may take (the gateway's confirm timeout, counted from the batch's first publish,
         * plus the connect a first publish may need). Positive and no longer than the lease; by default the send
         * window.
         */
        public Builder batchWindow(Duration batchWindow) {
            this.batchWindow = batchWindow;
            return this;
        }

        /**
         * A run drains due tasks over up to {@code lanes} lanes: one lane is bound by the partner's round trip, not by
         * CPU. At least one; by default one.
         */
        public Builder lanes(int lanes) {
            this.lanes = lanes;
            return this;
        }

        /**
         * #19: the HTTP callbacks of a page go to the gateway together, which may have up to {@code concurrency} of
         * them in flight at once; a lease takes that many times as many of them. Each send still starts only if its
         * send window fits in what is left of the lease, and gets its own outcome. Less than one counts as one.
         */
        public Builder httpConcurrency(int concurrency) {
            this.httpConcurrency = concurrency;
            return this;
        }

        /**
         * A task sent over HTTP starts only while its own budget ({@code budget.of(task)}: the send window plus its
         * body's time at the slowest partner link served) fits in what is left of its lease, as the gateway bounds its
         * call by the same budget. The page's share of tasks is still sized by the send window, a small body's; a big
         * body that no longer fits when its turn comes is released unsent at once, so the next claim takes it first
         * with a fresh lease; left leased, it waited out its lease (a minute by default). The budget's base must be
         * the send window and its cap at most the lease; by default the send window for every body.
         */
        public Builder sendBudget(SendBudget budget) {
            this.sendBudget = budget;
            return this;
        }

        /**
         * #17: the gateway may decline to send (the endpoint's breaker open, its bulkhead full); such a task is put
         * back at the time the gateway names, with no attempt recorded and no try used.
         */
        public Builder deferUnsent() {
            this.deferUnsent = true;
            return this;
        }

        /** The settings, every rule checked. */
        public DeliverySettings build() {
            return new DeliverySettings(this);
        }
    }
}
