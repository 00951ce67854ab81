package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyBulkRepository;
import com.groupbuy.market.types.progress.ProgressBoard;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

/**
 * Re-drives every FAIL partner callback (of one source + channel, or all) after a partner outage was fixed: page by
 * page, each page one guarded statement (a task that left FAIL meanwhile is not touched), reporting tasks done /
 * total. Our own close checks are left as the single re-drive leaves them (the repository does not see them).
 */
@Slf4j
@Service
public class FailedTaskBulkRedrive {

    public static final String PROGRESS_KIND = "notify-redrive";
    static final int PAGE = 500;

    private final INotifyBulkRepository repository;
    private final ProgressBoard board;
    private final Clock clock;

    public FailedTaskBulkRedrive(INotifyBulkRepository repository, ProgressBoard board, Clock clock) {
        this.repository = repository;
        this.board = board;
        this.clock = clock;
    }

    /**
     * The progress subject of a filter: "all" or "source:channel", a {@code %} or {@code :} inside the source or the
     * channel written {@code %25} / {@code %3A}. A partner's source or channel may hold a {@code :}, and two partners
     * must never share an entry: before, source {@code a:b} + channel {@code c} and source {@code a} + channel
     * {@code b:c} were both {@code a:b:c}, and while one's re-drive ran the other's was answered its progress and never
     * ran.
     */
    public static String subject(String source, String channel) {
        return source == null ? "all" : escaped(source) + ":" + escaped(channel);
    }

    private static String escaped(String name) {
        return name.replace("%", "%25").replace(":", "%3A");
    }

    /** Re-drives the filter's FAIL tasks; returns how many went back to RETRY. */
    public long redriveAll(String source, String channel) {
        ProgressBoard.Progress progress =
                board.start(PROGRESS_KIND, subject(source, channel), repository.countFailed(source, channel));
        long moved = 0;
        try {
            long afterId = 0;
            List<Long> ids;
            do {
                ids = repository.failedIdsAfter(source, channel, afterId, PAGE);
                if (ids.isEmpty()) {
                    break;
                }
                moved += repository.redriveFailed(ids, Instant.now(clock));
                progress.advance(ids.size());
                afterId = ids.get(ids.size() - 1);
            } while (ids.size() == PAGE);
            progress.done();
        } catch (RuntimeException e) {
            progress.failed(String.valueOf(e.getMessage()));
            throw e;
        }
        log.info("notify bulk re-drive filter={} moved={}", subject(source, channel), moved);
        return moved;
    }
}
