package com.groupbuy.market.domain.tag.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.entity.CrowdTagJobEntity;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import com.groupbuy.market.domain.tag.model.valobj.TagMemberVO;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The thundering herd after Redis lost a tag's bitmap: every check of the tag on every instance finds it missing at
 * once. Two instances (two repairs over one shared claim, as two processes over one Redis), 32 checks racing: the tag
 * is rebuilt once, and a tag never imported is never rebuilt.
 */
class TagBitmapRepairTest {

    private final AtomicBoolean loaded = new AtomicBoolean();
    private final AtomicReference<String> claim = new AtomicReference<>();
    private final AtomicInteger publishes = new AtomicInteger();
    /** How often the database was asked whether a tag was ever imported. */
    private final AtomicInteger importedAsked = new AtomicInteger();
    /** What Redis answers meanwhile: null while it is up, else what its calls throw. */
    private final AtomicReference<RuntimeException> redisDown = new AtomicReference<>();

    private final ICrowdTagRepository tags = new ICrowdTagRepository() {
        @Override
        public boolean existsTag(String tagId) {
            return true;
        }

        @Override
        public CrowdTagJobEntity queryJobByBatchId(String batchId) {
            return null;
        }

        @Override
        public CrowdTagJobEntity queryLatestJobOfTag(String tagId) {
            return null;
        }

        @Override
        public CrowdTagJobEntity queryLatestDoneJobOfTag(String tagId) {
            importedAsked.incrementAndGet();
            return "T".equals(tagId)
                    ? CrowdTagJobEntity.builder()
                            .tagId("T")
                            .batchId("b1")
                            .status(TagImportJobStatus.DONE)
                            .build()
                    : null;
        }

        @Override
        public long countMembersWithoutPartner(String tagId) {
            return 0;
        }

        @Override
        public List<TagMemberVO> queryMembers(String tagId, long afterId, int limit) {
            return afterId == 0 ? List.of(new TagMemberVO(1, "s01", "c01", "u1")) : List.of();
        }

        @Override
        public boolean finishJob(
                String tagId, String batchId, long members, TagImportJobStatus to, List<TagImportJobStatus> from) {
            return true;
        }
    };

    private final IUserBitIndexRepository bitIndex = new IUserBitIndexRepository() {
        @Override
        public Map<PartnerUserVO, Long> assign(Collection<PartnerUserVO> users) {
            Map<PartnerUserVO, Long> positions = new HashMap<>();
            users.forEach(u -> positions.put(u, 1L));
            return positions;
        }

        @Override
        public Long find(PartnerUserVO user) {
            return 1L;
        }
    };

    private final ITagBitmap bitmap = new ITagBitmap() {
        @Override
        public void stage(String tagId, String runId, long[] positions) {
            try {
                Thread.sleep(200); // a big tag: the rebuild is still running while the herd arrives
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public long beginRun(String tagId) {
            return 1;
        }

        @Override
        public boolean publishedAfter(String tagId, long run) {
            return false;
        }

        @Override
        public Publish publish(String tagId, String runId, String batchId, long members, long run) {
            publishes.incrementAndGet();
            loaded.set(true);
            return Publish.PUBLISHED;
        }

        @Override
        public boolean isLoaded(String tagId) {
            if (redisDown.get() != null) {
                throw redisDown.get();
            }
            return loaded.get();
        }

        @Override
        public boolean contains(String tagId, long position) {
            return false;
        }

        @Override
        public boolean tryClaimRebuild(String tagId, String token, Duration lease) {
            return claim.compareAndSet(null, token);
        }

        @Override
        public void releaseRebuild(String tagId, String token) {
            claim.compareAndSet(token, null);
        }
    };

    @Test
    void aLostTagIsRebuiltOnceWhateverTheNumberOfChecksAndInstances() throws Exception {
        ExecutorService instanceA = Executors.newSingleThreadExecutor();
        ExecutorService instanceB = Executors.newSingleThreadExecutor();
        ExecutorService checks = Executors.newFixedThreadPool(32);
        CrowdTagImportService imports = new CrowdTagImportService(tags, bitIndex, bitmap, 100);
        List<TagBitmapRepair> repairs = List.of(
                new TagBitmapRepair(tags, bitmap, imports, instanceA, Duration.ofMinutes(10), OutageLog.NONE),
                new TagBitmapRepair(tags, bitmap, imports, instanceB, Duration.ofMinutes(10), OutageLog.NONE));
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 32; i++) {
            TagBitmapRepair repair = repairs.get(i % 2);
            checks.submit(() -> {
                start.await();
                if (repair.wasImported("T")) {
                    repair.requestRebuild("T");
                }
                return null;
            });
        }
        start.countDown();
        checks.shutdown();
        assertThat(checks.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (ExecutorService instance : List.of(instanceA, instanceB)) {
            instance.shutdown();
            assertThat(instance.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(publishes).as("rebuilt once").hasValue(1);
        assertThat(loaded).isTrue();
        assertThat(claim.get()).as("claim given back").isNull();
    }

    @Test
    void aTagNeverImportedIsNotALoss() {
        TagBitmapRepair repair = new TagBitmapRepair(
                tags,
                bitmap,
                new CrowdTagImportService(tags, bitIndex, bitmap, 100),
                Runnable::run,
                Duration.ZERO,
                OutageLog.NONE);

        assertThat(repair.wasImported("NEVER")).isFalse();
    }

    private TagBitmapRepair repair(Executor executor) {
        return new TagBitmapRepair(
                tags,
                bitmap,
                new CrowdTagImportService(tags, bitIndex, bitmap, 100),
                executor,
                Duration.ZERO,
                OutageLog.NONE);
    }

    /**
     * "A never-imported tag costs one query per 10 s, not per check": the answer is kept a while. Found by mutation
     * testing: not keeping it survived.
     */
    @Test
    void whetherATagWasImportedIsAskedOfTheDatabaseOncePerWhile() {
        TagBitmapRepair repair = repair(Runnable::run);

        assertThat(List.of(repair.wasImported("NEVER"), repair.wasImported("NEVER"), repair.wasImported("T")))
                .containsExactly(false, false, true);
        assertThat(repair.wasImported("T")).isTrue();
        assertThat(importedAsked).as("once per tag").hasValue(2);
    }

    /**
     * An instance asks for a tag's rebuild at most once a while, even once the rebuild it asked for has ended (another
     * instance may hold the claim, or the rows cannot load). Found by mutation testing: the "asked lately" guard
     * negated survived (the first ask then started nothing).
     */
    @Test
    void aTagsRebuildIsAskedForOnceAWhileAndTheFirstAskStartsIt() {
        AtomicInteger started = new AtomicInteger();
        TagBitmapRepair repair = repair(task -> {
            started.incrementAndGet();
            task.run();
        });

        repair.requestRebuild("T");
        repair.requestRebuild("T");

        assertThat(started).hasValue(1);
        assertThat(publishes).hasValue(1);
    }

    /** A rebuild the executor refused (queue full, shutting down) is asked for again at the next check. */
    @Test
    void aRebuildTheExecutorRefusedIsAskedForAgainAtTheNextCheck() {
        AtomicInteger offered = new AtomicInteger();
        TagBitmapRepair repair = repair(task -> {
            if (offered.incrementAndGet() == 1) {
                throw new RejectedExecutionException("queue full");
            }
            task.run();
        });

        repair.requestRebuild("T");
        assertThat(publishes).hasValue(0);
        repair.requestRebuild("T");

        assertThat(offered).hasValue(2);
        assertThat(publishes).as("rebuilt at the second check").hasValue(1);
    }

    /**
     * Rebuilds failing for an outage go to the outage log (it logs the first, and the end once one runs again), not a
     * WARN with its stack each; a failure that is no outage is offered too and, refused, logged by the repair itself.
     */
    @Test
    void rebuildsFailingForAnOutageGoToTheOutageLogAndOnlyARebuildThatRanEndsIt() {
        List<String> told = new ArrayList<>();
        OutageLog outages = new OutageLog() {
            @Override
            public boolean outage(RuntimeException failure) {
                told.add("failed: " + failure.getMessage());
                return failure.getMessage().startsWith("Unable to connect");
            }

            @Override
            public void completed() {
                told.add("completed");
            }
        };
        TagBitmapRepair repair = new TagBitmapRepair(
                tags,
                bitmap,
                new CrowdTagImportService(tags, bitIndex, bitmap, 100),
                Runnable::run,
                Duration.ZERO,
                outages);

        redisDown.set(new IllegalStateException("Unable to connect to Redis"));
        repair.rebuildOnce("T");
        repair.rebuildOnce("T");
        redisDown.set(new IllegalStateException("a bug"));
        repair.rebuildOnce("T");
        redisDown.set(null);
        repair.rebuildOnce("T");

        assertThat(told)
                .containsExactly(
                        "failed: Unable to connect to Redis",
                        "failed: Unable to connect to Redis",
                        "failed: a bug",
                        "completed");
        assertThat(publishes).as("rebuilt once Redis answered").hasValue(1);
    }
}
