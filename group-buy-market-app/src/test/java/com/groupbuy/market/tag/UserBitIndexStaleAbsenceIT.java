package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.infrastructure.tag.dao.ICrowdUserIndexDao;
import com.groupbuy.market.infrastructure.tag.po.CrowdUserIndexPO;
import com.groupbuy.market.infrastructure.tag.repository.UserBitIndexRepository;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A trial's lookup of a user's bit position that read "none" from the table just before an import on the same instance
 * gave the user one, and cached its "none" after the import had cleared the user's cache entry: the user, a member the
 * instance itself had just imported, was a non-member there for the cache's lifetime (30 s). Built step by step over
 * the real table: the lookup's read is held (a latch around the real DAO) until the import's assignment is done. Now a
 * lookup begun before an assignment of its user does not keep its "none".
 */
@SharedContextIntegrationTest
class UserBitIndexStaleAbsenceIT {

    private static final PartnerUserVO USER = new PartnerUserVO("s01", "c01", "stale-u1");

    @Autowired
    ICrowdUserIndexDao dao;

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aLookupThatReadNoPositionBeforeAnImportGaveOneDoesNotHideIt() throws Exception {
        HeldRead held = new HeldRead(dao);
        UserBitIndexRepository repository = new UserBitIndexRepository(held, Duration.ofSeconds(30));

        Future<Long> trial = pool.submit(() -> repository.find(USER));
        assertThat(held.read.await(30, TimeUnit.SECONDS))
                .as("the trial read the table")
                .isTrue();
        Map<PartnerUserVO, Long> given = repository.assign(List.of(USER));
        held.go.countDown();
        assertThat(trial.get(30, TimeUnit.SECONDS))
                .as("what the table said when the trial read it")
                .isNull();

        assertThat(given).containsKey(USER);
        assertThat(repository.find(USER))
                .as("the position the import on this instance gave")
                .isEqualTo(given.get(USER));
    }

    /** The real DAO; the first single-user read is held, after it read the table, until {@link #go}. */
    private static final class HeldRead implements ICrowdUserIndexDao {
        final CountDownLatch read = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);
        private final AtomicBoolean first = new AtomicBoolean(true);
        private final ICrowdUserIndexDao real;

        HeldRead(ICrowdUserIndexDao real) {
            this.real = real;
        }

        @Override
        public Long queryByUser(String source, String channel, String userId) {
            Long position = real.queryByUser(source, channel, userId);
            if (first.compareAndSet(true, false)) {
                read.countDown();
                try {
                    if (!go.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never let go");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return position;
        }

        @Override
        public List<CrowdUserIndexPO> queryByUserIds(String source, String channel, Collection<String> userIds) {
            return real.queryByUserIds(source, channel, userIds);
        }

        @Override
        public int insertUnlessTaken(String source, String channel, Collection<String> userIds) {
            return real.insertUnlessTaken(source, channel, userIds);
        }
    }
}
