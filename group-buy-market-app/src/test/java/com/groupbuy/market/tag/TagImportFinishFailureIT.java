package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.domain.tag.service.ITagMembershipService;
import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A tag's first import whose last step, recording the job done in the database, fails (here InnoDB picks it as a
 * deadlock's victim: a test transaction holds the job's row and then asks for the tag's row, which the import's
 * transaction already updated). What Redis answers and what the database records must then agree: on main the members
 * were already published (the tag admitted them) while the database said the tag was never imported, so once Redis lost
 * its data the repair found nothing to rebuild and the same members were refused. Now the import is recorded before it
 * is published: a run whose record failed published nothing (the tag admits nobody before and after the loss) and a run
 * again publishes and records both.
 */
@SharedContextIntegrationTest
class TagImportFinishFailureIT {

    private static final String TAG = "FF-TAG";
    private static final String BATCH = "b-" + TAG;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    CrowdTagImportService importService;

    @Autowired
    ITagMembershipService membership;

    @Autowired
    TagBitmap bitmap;

    @Autowired
    RedissonClient redisson;

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aFirstImportWhoseRecordFailedAnswersTheSameBeforeAndAfterRedisLosesTheTag() throws Exception {
        CrowdTagFixture tags = new CrowdTagFixture(jdbc);
        tags.tag(TAG, List.of("u1"));

        Throwable failure;
        try (RowLockHolder holder = RowLockHolder.open(dataSource, jdbc).heavy()) {
            holder.lock("SELECT id FROM crowd_tags_job WHERE batch_id = ? FOR UPDATE", BATCH);
            Future<?> run = pool.submit(() -> importService.importMembers(TAG));
            // The import's record updated the tag's row and waits for the job's row: ask for the tag's row.
            holder.awaitWaiter(run, null);
            holder.lock("SELECT id FROM crowd_tags WHERE tag_id = ? FOR UPDATE", TAG);
            failure = failureOf(run);
        }
        assertThat(failure).as("the run is reported failed").isNotNull();
        assertThat(tags.jobStatus(BATCH)).as("not recorded done").isZero();

        boolean memberBeforeLoss = membership.isMember(TAG, "s01", "c01", "u1");
        loseTheTagInRedis();
        boolean memberAfterLoss = membership.isMember(TAG, "s01", "c01", "u1");
        assertThat(memberAfterLoss)
                .as(
                        "u1 (a member row of the tag) before Redis lost the tag: %s; after: %s (job not done)",
                        memberBeforeLoss, memberAfterLoss)
                .isEqualTo(memberBeforeLoss);
        assertThat(membership.isMember(TAG, "s01", "c01", "u9"))
                .as("a non-member")
                .isFalse();
        assertThat(membership.isMember(TAG, "s02", "c02", "u1"))
                .as("another partner's u1")
                .isFalse();

        // Run again without the fault: published and recorded both.
        importService.importMembers(TAG);
        assertThat(tags.jobStatus(BATCH)).isEqualTo(1);
        assertThat(tags.statistics(TAG)).isEqualTo(1);
        assertThat(membership.isMember(TAG, "s01", "c01", "u1")).isTrue();
        assertThat(membership.isMember(TAG, "s01", "c01", "u9")).isFalse();
    }

    /** What a Redis restart does to this tag: its bitmap and its loaded mark are gone (keys of this class's own). */
    private void loseTheTagInRedis() {
        String members = bitmap.membersKey(TAG);
        String loaded = members.substring(0, members.length() - "members".length()) + "loaded";
        redisson.getKeys().delete(members, loaded);
        assertThat(bitmap.isLoaded(TAG)).isFalse();
    }

    private static Throwable failureOf(Future<?> run) throws InterruptedException {
        try {
            run.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
