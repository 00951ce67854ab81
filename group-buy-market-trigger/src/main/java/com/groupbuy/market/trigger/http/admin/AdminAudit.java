package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.domain.audit.adapter.repository.IAdminAuditRepository;
import com.groupbuy.market.domain.audit.model.valobj.AdminActionVO;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import lombok.extern.slf4j.Slf4j;

/**
 * Writes the durable record of an admin action ({@code admin_action}) in two steps. Before the action runs, its intent
 * ({@link #admit}): who (the credential's {@link AdminToken.Operator}, never a body's name), what (method, path with
 * its ids, query string), from where, when; the action runs only once that row is committed, so no action takes
 * effect without one. After it answered, its outcome ({@link #answered}): HTTP status, envelope code, when, filled in
 * once on that row. A row left without an outcome (the process died, or the database failed just then) reads as
 * "outcome unknown". Each admission also has up to {@link #AGED_PER_WRITE} rows older than {@code retention} deleted,
 * and nothing else: on a thread of its own, after the admission, so that no action waits for that DELETE (a row it
 * must wait for, a slow table) or fails on it. Until 2026-12-07 the admission ran it itself, before the action.
 */
@Slf4j
public class AdminAudit {

    static final int MAX_PATH = 255;
    static final int MAX_QUERY = 1000;
    static final int MAX_ADDRESS = 64;
    static final int MAX_CODE = 16;
    /** Rows aged out per recorded action: a few, so that one write never deletes for long. */
    static final int AGED_PER_WRITE = 100;

    private final IAdminAuditRepository repository;
    private final Clock clock;
    private final Duration retention;
    /** Admissions whose aging out has not run yet: each is owed one DELETE of up to {@link #AGED_PER_WRITE} rows. */
    private final AtomicInteger owed = new AtomicInteger();
    /** One thread: one aging out at a time, whatever the number of admin calls. */
    private final ExecutorService agingOut = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "gbm-admin-audit-aging");
        thread.setDaemon(true);
        return thread;
    });

    public AdminAudit(IAdminAuditRepository repository, Clock clock, Duration retention) {
        this.repository = repository;
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Records the admitted action of {@code operator}, its outcome unknown, and answers the row's id. Throws {@link
     * DependencyUnavailableException} (answered E0401, HTTP 503 with Retry-After) when the row cannot be written: the
     * action must then not run. Old rows are aged out afterwards, on the aging-out thread: the action neither waits
     * for that nor fails on it.
     */
    public long admit(AdminToken.Operator operator, String method, String path, String query, String remoteAddress) {
        Instant now = clock.instant();
        AdminActionVO action = new AdminActionVO(
                0,
                operator.name(),
                operator.shared(),
                cut(method, 8),
                cut(path, MAX_PATH),
                cut(query, MAX_QUERY),
                cut(remoteAddress, MAX_ADDRESS),
                null, // the outcome: unknown until it answered
                null,
                now,
                null);
        long id;
        try {
            id = repository.record(action);
        } catch (RuntimeException e) {
            log.warn("admin action refused: not recorded in admin_action ({}): {}", e.toString(), action);
            throw new DependencyUnavailableException(
                    "database", "admin action not recorded in admin_action, so not run", e);
        }
        if (owed.getAndIncrement() == 0) { // else the aging-out thread takes this one too before it stops
            try {
                agingOut.execute(this::ageOut);
            } catch (RejectedExecutionException e) {
                owed.set(0); // stopping: the next instance's admissions age the rows out
            }
        }
        return id;
    }

    /**
     * Runs on the aging-out thread: one DELETE of up to {@link #AGED_PER_WRITE} rows per admission owed, until none is
     * owed or a DELETE comes back short (nothing older is left). A failure is logged and the admissions owed so far
     * are let go: the next one tries again.
     */
    private void ageOut() {
        int admissions;
        while ((admissions = owed.get()) > 0) {
            try {
                for (int i = 0; i < admissions; i++) {
                    if (repository.deleteBefore(clock.instant().minus(retention), AGED_PER_WRITE) < AGED_PER_WRITE) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                log.warn(
                        "admin_action rows older than {} not aged out ({}); the next action tries again", retention, e);
            } finally {
                owed.addAndGet(-admissions);
            }
        }
    }

    /** Stops the aging-out thread (a DELETE it is running is interrupted or ends on its own). */
    public void close() {
        agingOut.shutdownNow();
    }

    /**
     * Fills in how the action {@code id} was answered. A failure is logged at WARN in full, never thrown (the action
     * has been answered): its row then reads as "outcome unknown".
     */
    public void answered(long id, int httpStatus, String code) {
        String shortCode = cut(code, MAX_CODE);
        try {
            if (!repository.answer(id, httpStatus, shortCode, clock.instant())) {
                log.warn(
                        "admin_action {}: outcome {} {} not written, the row has one already or is gone",
                        id,
                        httpStatus,
                        shortCode);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "admin_action {}: outcome {} {} not written, it reads as unknown ({})",
                    id,
                    httpStatus,
                    shortCode,
                    e.toString());
        }
    }

    static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
