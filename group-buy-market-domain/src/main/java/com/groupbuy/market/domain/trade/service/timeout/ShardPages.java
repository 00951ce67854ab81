package com.groupbuy.market.domain.trade.service.timeout;

import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of the timeout job's work (expired teams, or unpaid locks), read a page at a time within a run's time
 * budget, each page after the last item of the page before. A page whose every item failed ends the run (the database
 * refusing writes, say: the next run tries again, instead of this one logging a failure for every item of the
 * backlog), and the shard's next run starts after it, so a page of items that fail every time is passed over once per
 * run instead of ending every run before the items behind it; a run that reads to the end leaves the next one to start
 * from the oldest again, those items included.
 */
final class ShardPages<T> {

    // Logged under the timeout job's logger, as it always was: operators filter on that name.
    private static final Logger log = LoggerFactory.getLogger(TradeTimeoutService.class);

    private final Clock clock;
    private final int pageSize;

    /**
     * The instance's stop: a run ends before its next team or lock (each change is a transaction of its own, guarded
     * by the state it starts from; what is left stays overdue for the next run, of any instance).
     */
    private final RunStop stop;

    /**
     * Per shard ("index/total"), the last team or lock of a page whose every change failed, where that shard's next
     * run of this instance starts. Kept by this instance only: another executor taking the shard starts from the
     * oldest.
     */
    private final Map<String, T> resume = new ConcurrentHashMap<>();

    ShardPages(Clock clock, int pageSize, RunStop stop) {
        this.clock = clock;
        this.pageSize = pageSize;
        this.stop = stop;
    }

    /**
     * Pages until none is left, the deadline passes or the instance stops, each item given to {@code handle}; an item
     * it throws for is logged and passed over. How many items it threw for (the run's skipped).
     */
    int drain(Instant deadline, String shard, Function<T, List<T>> pageAfter, Consumer<T> handle) {
        int skipped = 0;
        T last = resume.remove(shard);
        while (Instant.now(clock).isBefore(deadline)) {
            if (stop.stopping()) {
                log.info("timeout close run ends: the instance is stopping");
                return skipped;
            }
            List<T> items = pageAfter.apply(last);
            int failed = 0;
            for (T item : items) {
                if (stop.stopping()) {
                    log.info("timeout close run ends: the instance is stopping");
                    return skipped + failed;
                }
                try {
                    handle.accept(item);
                } catch (RuntimeException e) {
                    failed++;
                    log.warn("timeout close skipped {}; the next run retries it", item, e);
                }
            }
            skipped += failed;
            if (items.size() < pageSize) {
                return skipped;
            }
            last = items.get(items.size() - 1);
            if (failed == items.size()) {
                resume.put(shard, last);
                return skipped;
            }
        }
        return skipped;
    }
}
