package com.groupbuy.market.types.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The board keeps the last {@code keep} pieces of work, one entry each, on the test's clock. */
class InMemoryProgressBoardTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    /** A clock that moves only when the test moves it. */
    private static final class StepClock extends Clock {

        private Instant now = T0;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final StepClock clock = new StepClock();
    private final InMemoryProgressBoard board = new InMemoryProgressBoard(3, clock);

    @Test
    void rowsAddUpAndDoneStampsTheEnd() {
        ProgressBoard.Progress work = board.start("tag-import", "b1", 10);
        work.advance(3);
        work.advance(4);
        assertThat(board.get("tag-import", "b1")).get().satisfies(p -> {
            assertThat(p.state()).isEqualTo(WorkProgress.State.RUNNING);
            assertThat(p.done()).isEqualTo(7);
            assertThat(p.total()).isEqualTo(10);
            assertThat(p.startedAt()).isEqualTo(T0);
            assertThat(p.finishedAt()).isNull();
            assertThat(p.active()).isTrue();
        });

        clock.advance(Duration.ofSeconds(5));
        work.done();
        assertThat(board.get("tag-import", "b1")).get().satisfies(p -> {
            assertThat(p.state()).isEqualTo(WorkProgress.State.DONE);
            assertThat(p.done()).isEqualTo(7);
            assertThat(p.total()).as("a known total stays").isEqualTo(10);
            assertThat(p.finishedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(p.active()).isFalse();
        });
    }

    @Test
    void anUnknownTotalBecomesTheRowsDoneWhenTheWorkEnds() {
        ProgressBoard.Progress work = board.start("notify-redrive", "all", -1);
        work.advance(42);
        work.done();

        assertThat(board.get("notify-redrive", "all")).get().satisfies(p -> {
            assertThat(p.done()).isEqualTo(42);
            assertThat(p.total()).isEqualTo(42);
        });
    }

    @Test
    void aFailureKeepsItsReasonAndTheRowsDone() {
        ProgressBoard.Progress work = board.start("tag-import", "b1", 10);
        work.advance(2);
        clock.advance(Duration.ofSeconds(1));
        work.failed("file unreadable");

        assertThat(board.get("tag-import", "b1")).get().satisfies(p -> {
            assertThat(p.state()).isEqualTo(WorkProgress.State.FAILED);
            assertThat(p.error()).isEqualTo("file unreadable");
            assertThat(p.done()).isEqualTo(2);
            assertThat(p.total()).isEqualTo(10);
            assertThat(p.startedAt()).isEqualTo(T0);
            assertThat(p.finishedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(p.active()).isFalse();
        });
    }

    @Test
    void queuedWorkIsActiveWithAnUnknownTotal() {
        board.queued("tag-import", "b1");

        assertThat(board.get("tag-import", "b1")).get().satisfies(p -> {
            assertThat(p.state()).isEqualTo(WorkProgress.State.QUEUED);
            assertThat(p.total()).isEqualTo(-1);
            assertThat(p.startedAt()).isNull();
            assertThat(p.active()).isTrue();
        });
    }

    @Test
    void onlyTheLastKeepEntriesAreKeptAndWorkRunAgainReplacesItsEntry() {
        board.start("k", "1", 1).done();
        board.start("k", "2", 1).done();
        board.start("k", "3", 1).done();
        board.start("k", "1", 5); // run again: one entry, now the newest
        board.start("k", "4", 1);

        assertThat(board.get("k", "2")).as("the oldest is dropped").isEmpty();
        assertThat(board.get("k", "1")).get().extracting(WorkProgress::total).isEqualTo(5L);
        assertThat(board.recent()).hasSize(3);
    }

    @Test
    void kindAndSubjectNameTheWorkTogether() {
        board.start("k", "1", 1);

        assertThat(board.get("k", "2")).isEmpty();
        assertThat(board.get("j", "1")).isEmpty();
    }

    @Test
    void anEndedPieceOfWorkNoLongerOnTheBoardIsNotPutBack() {
        InMemoryProgressBoard one = new InMemoryProgressBoard(1, clock);
        ProgressBoard.Progress first = one.start("k", "1", 1);
        one.start("k", "2", 1);
        first.advance(1);
        first.done();
        first.failed("late");

        assertThat(one.get("k", "1")).isEmpty();
        assertThat(one.recent()).extracting(WorkProgress::subject).containsExactly("2");
    }

    @Test
    void activeWorkComesFirstThenTheNewestStarted() {
        InMemoryProgressBoard wide = new InMemoryProgressBoard(10, clock);
        wide.start("k", "old-done", 1).done();
        clock.advance(Duration.ofSeconds(1));
        wide.start("k", "old-running", 1);
        clock.advance(Duration.ofSeconds(1));
        wide.start("k", "new-done", 1).done();
        clock.advance(Duration.ofSeconds(1));
        wide.start("k", "new-running", 1);
        wide.queued("k", "queued");

        assertThat(wide.recent())
                .extracting(WorkProgress::subject)
                .containsExactly("queued", "new-running", "old-running", "new-done", "old-done");
    }

    @Test
    void aBoardThatKeepsNothingKeepsNothing() {
        ProgressBoard.NONE.start("k", "1", 1).advance(1);
        ProgressBoard.NONE.queued("k", "2");

        assertThat(ProgressBoard.NONE.get("k", "1")).isEmpty();
        assertThat(ProgressBoard.NONE.recent()).isEmpty();
        assertThat(new InMemoryProgressBoard(0, clock).recent()).isEmpty();
    }
}
