package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.outbox.service.FailedTaskBulkRedrive;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.trigger.http.Envelope;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.progress.ProgressBoard;
import com.groupbuy.market.types.progress.WorkProgress;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Long operator work started from the console or the API, run in the background one piece at a time, and its
 * progress (rows done / total): re-driving every FAIL task (of one partner, or all), running a crowd-tag import.
 * Starting work that is already queued or running answers its progress instead of starting it twice.
 */
@Slf4j
@RestController
@RequestMapping("/api/v1/gbm/admin/")
public class LongWorkAdminController {

    /** The kinds of long work on the board: {@code kind} filters by one of these, exactly. */
    static final List<String> KINDS = List.of(FailedTaskBulkRedrive.PROGRESS_KIND, CrowdTagImportService.PROGRESS_KIND);

    private final FailedTaskBulkRedrive bulkRedrive;
    private final CrowdTagImportService importService;
    private final ProgressBoard board;
    private final AdminToken adminToken;
    /** One worker, a short queue: long work must not crowd the service's own threads. */
    private final ThreadPoolExecutor worker =
            new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8), r -> {
                Thread thread = new Thread(r, "gbm-long-work");
                thread.setDaemon(true);
                return thread;
            });

    public LongWorkAdminController(
            FailedTaskBulkRedrive bulkRedrive,
            CrowdTagImportService importService,
            ProgressBoard board,
            AdminToken adminToken) {
        this.bulkRedrive = bulkRedrive;
        this.importService = importService;
        this.board = board;
        this.adminToken = adminToken;
    }

    /** Every FAIL task (of {@code source} + {@code channel} when given) back to RETRY, due now, in the background. */
    @PostMapping("notify/redrive-failed")
    public ResponseEntity<Response<WorkProgress>> redriveFailed(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(required = false) String source,
            @RequestParam(required = false) String channel) {
        return authorized(given, () -> {
            if ((source == null) != (channel == null)) {
                throw new AppException(
                        ResponseCode.ILLEGAL_PARAMETER,
                        "illegal parameter: give source and channel together, or neither");
            }
            if (source != null) {
                ConsoleViewController.requireText("source", source, 16);
                ConsoleViewController.requireText("channel", channel, 16);
            }
            return submit(
                    FailedTaskBulkRedrive.PROGRESS_KIND,
                    FailedTaskBulkRedrive.subject(source, channel),
                    () -> bulkRedrive.redriveAll(source, channel));
        });
    }

    /**
     * Runs the import job with this batch id (or tag id) in the background (as the XXL-Job handler would); one that
     * names no runnable job (unknown, abandoned, its tag unknown) is {@code 0002} with the reason, and nothing is queued.
     */
    @PostMapping("tag-imports/{batchId}/run")
    public ResponseEntity<Response<WorkProgress>> runImport(
            @RequestHeader(value = "X-Admin-Token", required = false) String given, @PathVariable String batchId) {
        return authorized(given, () -> {
            // A batch id or a tag id: up to a tag id's length (16 refused every tag id longer than a batch id), after
            // its batch: or tag: if it has one.
            ConsoleViewController.requireText(
                    "batchId (a batch id or tag id)",
                    batchId,
                    CrowdTagImportService.BATCH_PREFIX.length() + CrowdTagImportService.MAX_BATCH_OR_TAG_ID);
            ConsoleViewController.requireText(
                    "batchId (a batch id or tag id)",
                    CrowdTagImportService.idOf(batchId),
                    CrowdTagImportService.MAX_BATCH_OR_TAG_ID);
            // A run that names nothing runnable is the caller's error now, not work that fails in the background.
            try {
                importService.requireRunnable(batchId);
            } catch (IllegalArgumentException e) {
                throw new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + e.getMessage());
            }
            // The board's subject is the id (the console watches a batch's run by its batch id).
            return submit(
                    CrowdTagImportService.PROGRESS_KIND,
                    CrowdTagImportService.idOf(batchId),
                    () -> importService.importMembers(batchId));
        });
    }

    /**
     * Long work of this instance: running first, then the most recent; {@code kind} filters, and must be one of {@link
     * #KINDS} exactly ({@code 0002} naming them; before, an unknown kind answered an empty list).
     */
    @GetMapping("progress")
    public ResponseEntity<Response<List<WorkProgress>>> progress(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(required = false) String kind) {
        return authorized(given, () -> {
            AdminFilters.checkOneOf("kind", kind, KINDS);
            return board.recent().stream()
                    .filter(p -> kind == null || kind.equals(p.kind()))
                    .toList();
        });
    }

    private WorkProgress submit(String kind, String subject, Runnable work) {
        WorkProgress current = board.get(kind, subject).orElse(null);
        if (current != null && current.active()) {
            return current;
        }
        board.queued(kind, subject);
        try {
            worker.execute(() -> {
                try {
                    work.run();
                    // Work that never reported a start (an import named by its tag id reports under its batch id).
                    if (board.get(kind, subject)
                            .map(p -> p.state() == WorkProgress.State.QUEUED)
                            .orElse(false)) {
                        board.start(kind, subject, 0).done();
                    }
                } catch (RuntimeException e) {
                    log.warn("long work {} {} failed: {}", kind, subject, e.getMessage());
                    // A failure before the work reported its start leaves it QUEUED: mark it failed.
                    WorkProgress after = board.get(kind, subject).orElse(null);
                    if (after == null || after.state() == WorkProgress.State.QUEUED) {
                        board.start(kind, subject, -1).failed(String.valueOf(e.getMessage()));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            board.start(kind, subject, -1).failed("too much long work queued; try again later");
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: too much long work queued");
        }
        return board.get(kind, subject).orElseThrow();
    }

    private <T> ResponseEntity<Response<T>> authorized(String given, Supplier<T> action) {
        if (adminToken.caller(given) == null) {
            return AdminToken.refusal();
        }
        return ResponseEntity.ok(Envelope.success(action.get()));
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
