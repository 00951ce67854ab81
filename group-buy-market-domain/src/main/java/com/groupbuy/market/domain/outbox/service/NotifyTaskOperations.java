package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyUrlHost;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskAdminRepository;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverNowResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskSummaryVO;
import com.groupbuy.market.domain.outbox.model.valobj.RetryFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

/**
 * What an operator may do with callback tasks: look, give a failed task another round of attempts, and make waiting
 * retries due now.
 */
@Slf4j
@Service
public class NotifyTaskOperations {

    private static final int MAX_PAGE = 200;
    /** Rows moved (or read, for a host) per statement of "deliver now": short locks on a big backlog. */
    static final int MOVE_PAGE = 500;

    private final INotifyTaskAdminRepository repository;
    private final INotifyUrlHost urlHost;
    private final Clock clock;

    public NotifyTaskOperations(INotifyTaskAdminRepository repository, INotifyUrlHost urlHost, Clock clock) {
        this.repository = repository;
        this.urlHost = urlHost;
        this.clock = clock;
    }

    public List<NotifyTaskSummaryVO> list(Integer status, String teamId, int page, int size) {
        int limit = Math.max(1, Math.min(MAX_PAGE, size));
        return repository.listTasks(status, teamId, Math.max(0, page) * limit, limit);
    }

    /** How many tasks {@link #list} pages through. */
    public long count(Integer status, String teamId) {
        return repository.countTasks(status, teamId);
    }

    /** A page of the task's attempts, newest first: what an operator asks first is how the latest went. */
    public List<NotifyAttemptVO> attempts(long taskId, int page, int size) {
        requireTask(taskId);
        int limit = Math.max(1, Math.min(MAX_PAGE, size));
        return repository.listAttempts(taskId, Math.max(0, page) * limit, limit);
    }

    /** A FAIL task goes back to RETRY, due now; its attempt count and history stay. */
    public NotifyTaskSummaryVO redrive(long taskId) {
        NotifyTaskSummaryVO task = requireTask(taskId);
        if (!repository.redriveFailed(taskId, Instant.now(clock))) {
            throw new AppException(
                    ResponseCode.E0302,
                    "only a failed task can be re-driven; task " + taskId + " has status " + task.notifyStatus());
        }
        log.info("notify task={} team={} re-driven by an operator", taskId, task.teamId());
        return repository.queryTask(taskId);
    }

    /**
     * "Deliver now" after a partner outage: the filter's RETRY tasks waiting for their next attempt become due at
     * once (attempt count and history stay), so the next run sends them instead of hours later. Tasks leased by a
     * run in progress are left to it. Safe to repeat: a second call finds nothing more to move.
     */
    public DeliverNowResult deliverNow(RetryFilter filter) {
        Instant now = Instant.now(clock);
        long moved = 0;
        if (filter.host() == null) {
            int page;
            do {
                page = repository.retryDueNow(filter.source(), filter.channel(), now, MOVE_PAGE);
                moved += page;
            } while (page == MOVE_PAGE);
        } else {
            moved = moveHost(filter, now);
        }
        log.info("notify deliver-now filter={} moved={}", filter.describe(), moved);
        return new DeliverNowResult(filter.describe(), moved);
    }

    /**
     * The waiting retries whose callbacks go to the filter's host: both the operator's host and each task's URL read
     * by the delivery client's parser ({@link INotifyUrlHost}), so {@code [::ffff:10.0.0.5]} is 10.0.0.5 and
     * {@code [0:0:0:0:0:0:0:1]} is ::1 on both sides, as the callbacks are sent. Read by {@code java.net.URI}, which
     * keeps an IPv6 literal as written, a deliver-now for the host the callbacks went to missed those tasks. A
     * trailing dot names the same DNS host.
     */
    private long moveHost(RetryFilter filter, Instant now) {
        String wanted = sameHost(urlHost.hostOf("http://" + bracketed(filter.host()) + "/"));
        if (wanted == null) {
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER, "host: not a host name or address");
        }
        long moved = 0;
        Instant afterTime = now;
        long afterId = 0;
        List<NotifyTaskSummaryVO> page;
        do {
            page = repository.waitingRetries(now, afterTime, afterId, MOVE_PAGE);
            List<Long> ids = page.stream()
                    .filter(t -> wanted.equals(sameHost(urlHost.hostOf(t.notifyUrl()))))
                    .map(NotifyTaskSummaryVO::id)
                    .toList();
            if (!ids.isEmpty()) {
                moved += repository.makeDueNow(ids, now);
            }
            if (!page.isEmpty()) {
                NotifyTaskSummaryVO last = page.get(page.size() - 1);
                afterTime = last.nextAttemptTime();
                afterId = last.id();
            }
        } while (page.size() == MOVE_PAGE);
        return moved;
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** One form per DNS host: without its root's trailing dot ({@code a.example.} is {@code a.example}). */
    private static String sameHost(String host) {
        return host != null && host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private NotifyTaskSummaryVO requireTask(long taskId) {
        NotifyTaskSummaryVO task = repository.queryTask(taskId);
        if (task == null) {
            throw new AppException(ResponseCode.E0301, "notify task " + taskId + " not found");
        }
        return task;
    }
}
