package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyUrlHost;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskAdminRepository;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverNowResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskSummaryVO;
import com.groupbuy.market.domain.outbox.model.valobj.RetryFilter;
import com.groupbuy.market.types.exception.AppException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An operator's task operations over an in-memory task table: paging bounds, the re-drive of a FAIL task, and
 * "deliver now" by source and channel or by host, page after page on the (next attempt time, id) cursor.
 */
class NotifyTaskOperationsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final int FAIL = 3;

    private final Map<Long, NotifyTaskSummaryVO> tasks = new TreeMap<>();
    /** (offset, limit) of each list or attempts read; the afterId of each waiting-retries read. */
    private final List<String> reads = new ArrayList<>();

    private final List<Long> cursors = new ArrayList<>();
    private int dueBySourceChannel;
    private int retryDueNowCalls;

    private final INotifyTaskAdminRepository repository = new INotifyTaskAdminRepository() {
        @Override
        public List<NotifyTaskSummaryVO> listTasks(Integer status, String teamId, int offset, int limit) {
            reads.add(offset + "/" + limit);
            return List.copyOf(tasks.values());
        }

        @Override
        public long countTasks(Integer status, String teamId) {
            return tasks.size();
        }

        @Override
        public NotifyTaskSummaryVO queryTask(long taskId) {
            return tasks.get(taskId);
        }

        @Override
        public List<NotifyAttemptVO> listAttempts(long taskId, int offset, int limit) {
            reads.add(offset + "/" + limit);
            return List.of(new NotifyAttemptVO(1, NOW, 500, 1, false, "HTTP 500"));
        }

        @Override
        public boolean redriveFailed(long taskId, Instant now) {
            NotifyTaskSummaryVO task = tasks.get(taskId);
            if (task.notifyStatus() != FAIL) {
                return false;
            }
            tasks.put(taskId, task(taskId, task.notifyUrl(), 1, now));
            return true;
        }

        @Override
        public int retryDueNow(String source, String channel, Instant now, int limit) {
            retryDueNowCalls++;
            int page = Math.min(limit, dueBySourceChannel);
            dueBySourceChannel -= page;
            return page;
        }

        @Override
        public List<NotifyTaskSummaryVO> waitingRetries(Instant now, Instant afterTime, long afterId, int limit) {
            cursors.add(afterId);
            return tasks.values().stream()
                    .filter(t -> t.nextAttemptTime().isAfter(now))
                    .filter(t -> t.nextAttemptTime().isAfter(afterTime)
                            || t.nextAttemptTime().equals(afterTime) && t.id() > afterId)
                    .sorted(Comparator.comparing(NotifyTaskSummaryVO::nextAttemptTime)
                            .thenComparing(NotifyTaskSummaryVO::id))
                    .limit(limit)
                    .toList();
        }

        @Override
        public int makeDueNow(List<Long> taskIds, Instant now) {
            for (Long id : taskIds) {
                tasks.put(id, task(id, tasks.get(id).notifyUrl(), 1, now));
            }
            return taskIds.size();
        }
    };

    /** The URL's host as a parser reads it, lower-cased; null when it names none. */
    private final INotifyUrlHost urlHost = url -> {
        String host = URI.create(url).getHost();
        return host == null ? null : host.toLowerCase(Locale.ROOT);
    };

    private final NotifyTaskOperations operations =
            new NotifyTaskOperations(repository, urlHost, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aPageIsOneToTwoHundredTasksFromPageZero() {
        tasks.put(1L, task(1, "http://a.example/cb", FAIL, NOW));
        assertThat(operations.list(null, null, 2, 50))
                .extracting(NotifyTaskSummaryVO::id)
                .containsExactly(1L);
        operations.list(null, null, -1, 500);
        operations.list(null, null, 3, 0);
        assertThat(operations.attempts(1, 2, 500))
                .extracting(NotifyAttemptVO::error)
                .containsExactly("HTTP 500");

        assertThat(reads).containsExactly("100/50", "0/200", "3/1", "400/200");
        assertThat(operations.count(null, null)).isEqualTo(1);
    }

    @Test
    void onlyAFailedTaskIsReDrivenAndAnUnknownOneIsNotFound() {
        tasks.put(1L, task(1, "http://a.example/cb", FAIL, NOW.minusSeconds(60)));
        tasks.put(2L, task(2, "http://a.example/cb", 1, NOW.plusSeconds(60)));

        assertThat(operations.redrive(1).nextAttemptTime()).isEqualTo(NOW);
        assertThatThrownBy(() -> operations.redrive(2)).isInstanceOfSatisfying(AppException.class, e -> {
            assertThat(e.getCode()).isEqualTo("E0302");
            assertThat(e.getInfo()).isEqualTo("only a failed task can be re-driven; task 2 has status 1");
        });
        assertThatThrownBy(() -> operations.attempts(3, 0, 10))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo("E0301"));
    }

    @Test
    void deliverNowBySourceAndChannelMovesPageAfterPageUntilAShortOne() {
        dueBySourceChannel = 1_000;

        DeliverNowResult result = operations.deliverNow(RetryFilter.sourceChannel("s01", "c01"));

        assertThat(result).isEqualTo(new DeliverNowResult("source=s01,channel=c01", 1_000));
        assertThat(retryDueNowCalls).isEqualTo(3);
    }

    /**
     * 1,200 waiting retries, two due at each second; a third to b.example, the rest to a.example written with a root's
     * trailing dot or a port and capitals. Deliver-now for "A.EXAMPLE." moves those 800 and only those, reading the
     * table once per 500 on the cursor of the last task read.
     */
    @Test
    void deliverNowByHostMovesThatHostsWaitingRetriesOnly() {
        for (long id = 1; id <= 1_200; id++) {
            String url = id % 3 == 0
                    ? "http://b.example/cb"
                    : id % 3 == 1 ? "http://a.example./cb" : "http://A.example:8080/cb";
            tasks.put(id, task(id, url, 1, NOW.plusSeconds(1 + id / 2)));
        }

        DeliverNowResult result = operations.deliverNow(RetryFilter.host("A.EXAMPLE."));

        assertThat(result.moved()).isEqualTo(800);
        assertThat(cursors).containsExactly(0L, 500L, 1_000L);
        tasks.values()
                .forEach(t -> assertThat(t.nextAttemptTime().equals(NOW))
                        .as("task %d", t.id())
                        .isEqualTo(!t.notifyUrl().contains("b.example")));
    }

    @Test
    void deliverNowForAnIpv6HostMatchesItsBracketedUrls() {
        tasks.put(1L, task(1, "http://[::1]:8080/cb", 1, NOW.plusSeconds(60)));
        tasks.put(2L, task(2, "http://[::2]/cb", 1, NOW.plusSeconds(60)));

        assertThat(operations.deliverNow(RetryFilter.host("::1")).moved()).isEqualTo(1);
        assertThat(tasks.get(1L).nextAttemptTime()).isEqualTo(NOW);
    }

    @Test
    void aHostNoUrlCanNameIsRefused() {
        assertThatThrownBy(() -> operations.deliverNow(RetryFilter.host("a_b")))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getInfo()).isEqualTo("host: not a host name or address"));
        assertThat(cursors).isEmpty();
    }

    private static NotifyTaskSummaryVO task(long id, String url, int status, Instant next) {
        return new NotifyTaskSummaryVO(id, "t" + id, "HTTP", url, status, 1, next, null);
    }
}
