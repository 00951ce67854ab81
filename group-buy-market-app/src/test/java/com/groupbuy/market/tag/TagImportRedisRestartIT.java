package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Redis restarts (it keeps nothing on disk) while a tag's import pages through its members: what the run staged before
 * the restart is gone. On main the run went on staging the pages after it and published them as the tag's whole member
 * set, marked loaded: the members of the first page were non-members for good (the repair looks only at a tag that is
 * not loaded), and a restart after the last page published an empty tag. Now a staging bitmap that lost members is
 * not published: the run fails, the tag (recorded imported, not loaded) is answered from its member rows and rebuilt.
 * The redis-server is this class's own ({@link PrivateRedisServer}), killed and started again between two pages (the
 * import runs with pages of 2 over the real tables, the restart hooked on its read of a page).
 */
@IntegrationTest
@PrivateRedisServer
class TagImportRedisRestartIT extends HookedTagImports {

    private static final List<String> MEMBERS =
            IntStream.rangeClosed(1, 5).mapToObj(i -> "u" + i).toList();

    @Autowired
    RedissonClient redisson;

    @Autowired
    PrivateRedis redis;

    @Test
    void aRestartAfterTheFirstPageLeavesNoMemberOut() throws Exception {
        String tag = "RS-MID";
        new CrowdTagFixture(jdbc).tag(tag, MEMBERS);

        Throwable run = importRestartingRedis(tag, (method, afterId) -> method.equals("queryMembers") && afterId > 0);

        assertEveryMemberIn(tag, run);
    }

    @Test
    void aRestartAfterTheLastPagePublishesNoEmptyTag() throws Exception {
        String tag = "RS-END";
        new CrowdTagFixture(jdbc).tag(tag, MEMBERS);

        Throwable run = importRestartingRedis(tag, (method, afterId) -> method.equals("finishJob"));

        assertEveryMemberIn(tag, run);
    }

    private void assertEveryMemberIn(String tag, Throwable run) throws Exception {
        AppRedisAnswers.await(bitmap);
        System.out.println("import across the restart: " + (run == null ? "reported success" : run));
        for (String user : MEMBERS) {
            assertThat(membership.isMember(tag, "s01", "c01", user))
                    .as("%s, a member row of %s, after an import Redis restarted in (%s)", user, tag, run)
                    .isTrue();
        }
        assertThat(membership.isMember(tag, "s01", "c01", "u9"))
                .as("a non-member")
                .isFalse();
        assertThat(membership.isMember(tag, "s02", "c02", "u1"))
                .as("another partner's u1")
                .isFalse();

        // The tag comes back whole from its rows (the repair), and answers the same from the bitmap.
        long deadline = System.currentTimeMillis() + 30_000;
        while (!bitmap.isLoaded(tag) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(bitmap.isLoaded(tag)).isTrue();
        assertThat(redisson.getBitSet(bitmap.membersKey(tag)).cardinality())
                .as("bits of the live bitmap")
                .isEqualTo(MEMBERS.size());
        for (String user : MEMBERS) {
            assertThat(membership.isMember(tag, "s01", "c01", user)).as(user).isTrue();
        }
    }

    /**
     * Runs the tag's import in pages of 2, restarting Redis once, before the repository call {@code restartBefore}
     * picks (by method name and, for a page, the row id it starts after). Returns what the run threw, or null.
     */
    private Throwable importRestartingRedis(String tag, HookedTagRepository.When restartBefore) {
        AtomicBoolean restarted = new AtomicBoolean();
        ICrowdTagRepository restarting = HookedTagRepository.hooked(
                tags,
                restartBefore,
                () -> {
                    redis.kill();
                    redis.startAgain();
                    redis.awaitOnePong();
                    AppRedisAnswers.await(bitmap);
                },
                restarted);
        try {
            importOver(restarting, 2).importMembers(tag);
            return null;
        } catch (RuntimeException e) {
            return e;
        } finally {
            assertThat(restarted).as("Redis was restarted during the run").isTrue();
        }
    }
}
