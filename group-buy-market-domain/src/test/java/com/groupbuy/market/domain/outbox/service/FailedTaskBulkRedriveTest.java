package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyBulkRepository;
import com.groupbuy.market.types.progress.InMemoryProgressBoard;
import com.groupbuy.market.types.progress.WorkProgress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The bulk re-drive over an in-memory FAIL set: page by page after the last id, until a page comes back short, its
 * progress counted per page; a task that left FAIL meanwhile is not counted as moved.
 */
class FailedTaskBulkRedriveTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final TreeSet<Long> failed = new TreeSet<>();
    private final List<Long> pagesAfter = new ArrayList<>();
    private final List<Instant> redrivenAt = new ArrayList<>();
    /** Ids that leave FAIL between their page's read and its re-drive. */
    private final List<Long> leaving = new ArrayList<>();

    private RuntimeException failOnPage;

    private final INotifyBulkRepository repository = new INotifyBulkRepository() {
        @Override
        public long countFailed(String source, String channel) {
            return failed.size();
        }

        @Override
        public List<Long> failedIdsAfter(String source, String channel, long afterId, int limit) {
            pagesAfter.add(afterId);
            if (failOnPage != null && pagesAfter.size() == 2) {
                throw failOnPage;
            }
            return failed.tailSet(afterId, false).stream().limit(limit).toList();
        }

        @Override
        public int redriveFailed(List<Long> ids, Instant now) {
            redrivenAt.add(now);
            int moved = 0;
            for (Long id : ids) {
                moved += !leaving.contains(id) && failed.remove(id) ? 1 : 0;
            }
            return moved;
        }
    };

    private final InMemoryProgressBoard board = new InMemoryProgressBoard(10);
    private final FailedTaskBulkRedrive redrive =
            new FailedTaskBulkRedrive(repository, board, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void everyFailedTaskIsReDrivenPageByPageUntilAShortPage() {
        LongStream.rangeClosed(1, 1_001).forEach(failed::add);
        leaving.add(700L);

        long moved = redrive.redriveAll("s01", "c01");

        assertThat(moved).isEqualTo(1_000);
        assertThat(failed).containsExactly(700L);
        assertThat(pagesAfter).containsExactly(0L, 500L, 1_000L);
        assertThat(redrivenAt).containsOnly(NOW).hasSize(3);
        WorkProgress progress =
                board.get(FailedTaskBulkRedrive.PROGRESS_KIND, "s01:c01").orElseThrow();
        assertThat(progress.state()).isEqualTo(WorkProgress.State.DONE);
        assertThat(progress.done()).isEqualTo(1_001);
        assertThat(progress.total()).isEqualTo(1_001);
    }

    @Test
    void aFullLastPageIsFollowedByOneEmptyRead() {
        LongStream.rangeClosed(1, 500).forEach(failed::add);

        assertThat(redrive.redriveAll(null, null)).isEqualTo(500);
        assertThat(pagesAfter).containsExactly(0L, 500L);
        assertThat(redrivenAt).hasSize(1);
        assertThat(board.get(FailedTaskBulkRedrive.PROGRESS_KIND, "all")
                        .orElseThrow()
                        .state())
                .isEqualTo(WorkProgress.State.DONE);
    }

    @Test
    void aFailureEndsTheReDriveAndItsProgressSaysWhy() {
        LongStream.rangeClosed(1, 600).forEach(failed::add);
        failOnPage = new IllegalStateException("database gone");

        assertThatThrownBy(() -> redrive.redriveAll("s01", "c01")).isSameAs(failOnPage);

        WorkProgress progress =
                board.get(FailedTaskBulkRedrive.PROGRESS_KIND, "s01:c01").orElseThrow();
        assertThat(progress.state()).isEqualTo(WorkProgress.State.FAILED);
        assertThat(progress.error()).isEqualTo("database gone");
        assertThat(progress.done()).isEqualTo(500);
    }

    @Test
    void aSubjectNamesOneFilterOnly() {
        assertThat(FailedTaskBulkRedrive.subject(null, null)).isEqualTo("all");
        assertThat(FailedTaskBulkRedrive.subject("a:b", "c")).isEqualTo("a%3Ab:c");
        assertThat(FailedTaskBulkRedrive.subject("a", "b:c")).isEqualTo("a:b%3Ac");
        assertThat(FailedTaskBulkRedrive.subject("a%3A", "b")).isEqualTo("a%253A:b");
    }
}
