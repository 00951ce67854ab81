package com.groupbuy.market.trigger.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.FailedTaskBulkRedrive;
import com.groupbuy.market.types.progress.InMemoryProgressBoard;
import com.groupbuy.market.types.progress.ProgressBoard;
import com.groupbuy.market.types.progress.WorkProgress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bulk re-drive acts on the partner it names: a source or channel may hold a {@code :} (trade requests take any
 * printable text), so source {@code a:b} + channel {@code c} and source {@code a} + channel {@code b:c} are two
 * partners. Before, both were the progress entry {@code a:b:c}: while the first one's re-drive ran, the second one's
 * request was answered the first one's progress and its FAIL tasks were never re-driven.
 */
class LongWorkAdminControllerTest {

    private static final String TOKEN = "a-token-of-the-test-0123456789";

    private final ProgressBoard board = new InMemoryProgressBoard(50);
    private final CountDownLatch firstMayEnd = new CountDownLatch(1);
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch secondRan = new CountDownLatch(1);
    private final LongWorkAdminController controller =
            new LongWorkAdminController(new RecordingRedrive(), null, board, new AdminToken(TOKEN));

    @AfterEach
    void stop() {
        firstMayEnd.countDown();
        controller.stop();
    }

    @Test
    void twoPartnersWhoseNamesJoinAlikeAreTwoReDrives() throws Exception {
        WorkProgress first =
                controller.redriveFailed(TOKEN, "a:b", "c").getBody().getData();
        WorkProgress second =
                controller.redriveFailed(TOKEN, "a", "b:c").getBody().getData();

        firstMayEnd.countDown();
        assertThat(secondRan.await(5, TimeUnit.SECONDS))
                .as("the re-drive of a / b:c ran (runs: %s; its answer: %s)", ran, second)
                .isTrue();
        assertThat(second.subject()).isNotEqualTo(first.subject());
        assertThat(ran).containsExactly("a:b|c", "a|b:c");
        assertThat(board.get(FailedTaskBulkRedrive.PROGRESS_KIND, first.subject()))
                .isPresent();
        assertThat(board.get(FailedTaskBulkRedrive.PROGRESS_KIND, second.subject()))
                .isPresent();
    }

    @Test
    void aPlainPartnersSubjectIsSourceColonChannel() {
        assertThat(FailedTaskBulkRedrive.subject("s01", "c01")).isEqualTo("s01:c01");
        assertThat(FailedTaskBulkRedrive.subject(null, null)).isEqualTo("all");
        assertThat(FailedTaskBulkRedrive.subject("a%3Ab", "c")).isNotEqualTo(FailedTaskBulkRedrive.subject("a:b", "c"));
    }

    /** Records each re-drive; the one of a:b / c holds until the test lets it end. */
    private final class RecordingRedrive extends FailedTaskBulkRedrive {

        RecordingRedrive() {
            super(null, ProgressBoard.NONE, Clock.systemUTC());
        }

        @Override
        public long redriveAll(String source, String channel) {
            ran.add(source + "|" + channel);
            ProgressBoard.Progress progress =
                    board.start(PROGRESS_KIND, FailedTaskBulkRedrive.subject(source, channel), 1);
            if ("a:b".equals(source)) {
                try {
                    firstMayEnd.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                secondRan.countDown();
            }
            progress.advance(1);
            progress.done();
            return 1;
        }
    }
}
