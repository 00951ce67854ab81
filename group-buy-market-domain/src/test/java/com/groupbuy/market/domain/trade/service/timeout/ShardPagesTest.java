package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.support.MutableClock;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The timeout job's paging of one kind of work, over a list of items: on after the last item of each page, a page
 * whose every item failed ends the run and the shard's next run starts after it, a run read to the end leaves the
 * next one to start from the oldest, and neither a stop nor a spent budget lets it take another item. The job over
 * these pages: TradeTimeoutPaymentGraceTest, TimeoutCloseIT.
 */
class ShardPagesTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final List<String> backlog = List.of("a", "b", "c", "d", "e");
    private final List<String> pagesReadAfter = new ArrayList<>();
    private final List<String> handled = new ArrayList<>();
    private final RunStop stop = new RunStop();
    private int pageSize;

    @Test
    void everyItemIsHandledOnceAPageAfterTheLastOfThePageBefore() {
        int skipped = pages(2).drain(NOW.plusSeconds(5), "0/1", pageAfter(), handle(Set.of()));

        assertThat(handled).containsExactly("a", "b", "c", "d", "e");
        assertThat(pagesReadAfter).containsExactly("oldest", "b", "d");
        assertThat(skipped).isZero();
    }

    @Test
    void aFailedItemIsSkippedAndThePagingGoesOn() {
        int skipped = pages(2).drain(NOW.plusSeconds(5), "0/1", pageAfter(), handle(Set.of("a")));

        assertThat(handled).containsExactly("b", "c", "d", "e");
        assertThat(skipped).isEqualTo(1);
    }

    @Test
    void aPageWhoseEveryItemFailedEndsTheRunAndThatShardsNextRunStartsAfterIt() {
        ShardPages<String> pages = pages(2);
        Consumer<String> handle = handle(Set.of("a", "b"));

        assertThat(pages.drain(NOW.plusSeconds(5), "0/2", pageAfter(), handle)).isEqualTo(2);
        assertThat(handled).isEmpty();

        pagesReadAfter.clear();
        assertThat(pages.drain(NOW.plusSeconds(5), "1/2", pageAfter(), handle))
                .as("another shard starts from its own oldest")
                .isEqualTo(2);
        assertThat(pagesReadAfter).containsExactly("oldest");

        pagesReadAfter.clear();
        assertThat(pages.drain(NOW.plusSeconds(5), "0/2", pageAfter(), handle)).isZero();
        assertThat(pagesReadAfter).containsExactly("b", "d");
        assertThat(handled).containsExactly("c", "d", "e");

        pagesReadAfter.clear();
        assertThat(pages.drain(NOW.plusSeconds(5), "0/2", pageAfter(), handle))
                .as("read to the end: the failing items are tried again")
                .isEqualTo(2);
        assertThat(pagesReadAfter).containsExactly("oldest");
    }

    @Test
    void aStopEndsTheRunBeforeItsNextItem() {
        Consumer<String> failsBThenStops = item -> {
            try {
                handle(Set.of("b")).accept(item);
            } finally {
                if (item.equals("b")) {
                    stop.stop();
                }
            }
        };

        int skipped = pages(3).drain(NOW.plusSeconds(5), "0/1", pageAfter(), failsBThenStops);

        assertThat(handled).containsExactly("a");
        assertThat(skipped).as("b failed before the stop").isEqualTo(1);
        assertThat(pagesReadAfter).containsExactly("oldest");
    }

    /** A stop between pages still counts what the pages before it skipped: the run's summary says what was left. */
    @Test
    void aStopBetweenPagesStillCountsTheItemsSkippedBeforeIt() {
        Consumer<String> failsAThenStopsAfterB = item -> {
            handle(Set.of("a")).accept(item);
            if (item.equals("b")) {
                stop.stop();
            }
        };

        int skipped = pages(2).drain(NOW.plusSeconds(5), "0/1", pageAfter(), failsAThenStopsAfterB);

        assertThat(handled).containsExactly("b");
        assertThat(pagesReadAfter).as("no page read after the stop").containsExactly("oldest");
        assertThat(skipped).isEqualTo(1);
    }

    /** A budget spent mid-run still counts what the pages before it skipped. */
    @Test
    void aBudgetSpentBetweenPagesStillCountsTheItemsSkippedBeforeIt() {
        MutableClock clock = new MutableClock(NOW);
        pageSize = 2;
        Consumer<String> failsAThenSpendsTheBudgetOnB = item -> {
            handle(Set.of("a")).accept(item);
            clock.advance(Duration.ofSeconds(5));
        };

        int skipped = new ShardPages<String>(clock, 2, stop)
                .drain(NOW.plusSeconds(5), "0/1", pageAfter(), failsAThenSpendsTheBudgetOnB);

        assertThat(handled).containsExactly("b");
        assertThat(pagesReadAfter).containsExactly("oldest");
        assertThat(skipped).isEqualTo(1);
    }

    @Test
    void aSpentBudgetReadsNoPage() {
        int skipped = pages(2).drain(NOW, "0/1", pageAfter(), handle(Set.of()));

        assertThat(pagesReadAfter).isEmpty();
        assertThat(skipped).isZero();
    }

    private ShardPages<String> pages(int size) {
        pageSize = size;
        return new ShardPages<>(Clock.fixed(NOW, ZoneOffset.UTC), size, stop);
    }

    /** The backlog after the given item, a page at a time. */
    private Function<String, List<String>> pageAfter() {
        return last -> {
            pagesReadAfter.add(last == null ? "oldest" : last);
            int from = last == null ? 0 : backlog.indexOf(last) + 1;
            return backlog.subList(from, Math.min(backlog.size(), from + pageSize));
        };
    }

    private Consumer<String> handle(Set<String> failing) {
        return item -> {
            if (failing.contains(item)) {
                throw new IllegalStateException(item + " failed");
            }
            handled.add(item);
        };
    }
}
