package com.groupbuy.market.domain.tag.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.entity.CrowdTagJobEntity;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import com.groupbuy.market.domain.tag.model.valobj.TagImportResult;
import com.groupbuy.market.domain.tag.model.valobj.TagMemberVO;
import com.groupbuy.market.types.progress.InMemoryProgressBoard;
import com.groupbuy.market.types.progress.WorkProgress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The import loop over in-memory ports: page boundaries, publish after the last page, nothing written on refusal. */
class CrowdTagImportServiceTest {

    private final List<TagMemberVO> rows = new ArrayList<>();
    private final Map<String, CrowdTagJobEntity> jobs = new LinkedHashMap<>();
    private final Set<String> knownTags = new HashSet<>(Set.of("T"));
    private final List<String> events = new ArrayList<>();
    private final List<Long> staged = new ArrayList<>();
    private final List<String> published = new ArrayList<>();
    /** What Redis holds of each run's staging bitmap. */
    private final Map<String, Set<Long>> stagedByRun = new HashMap<>();

    private long runs;
    private long publishedRun;

    private final ICrowdTagRepository tags = new ICrowdTagRepository() {
        @Override
        public boolean existsTag(String tagId) {
            return knownTags.contains(tagId);
        }

        @Override
        public CrowdTagJobEntity queryJobByBatchId(String batchId) {
            return jobs.get(batchId);
        }

        @Override
        public CrowdTagJobEntity queryLatestJobOfTag(String tagId) {
            CrowdTagJobEntity latest = null;
            for (CrowdTagJobEntity job : jobs.values()) {
                if (job.getTagId().equals(tagId) && job.isRunnable()) {
                    latest = job;
                }
            }
            return latest;
        }

        @Override
        public List<TagMemberVO> queryMembers(String tagId, long afterId, int limit) {
            events.add("page>" + afterId);
            return rows.stream().filter(r -> r.id() > afterId).limit(limit).toList();
        }

        @Override
        public long countMembersWithoutPartner(String tagId) {
            return rows.stream().filter(r -> !r.namesPartner()).count();
        }

        @Override
        public boolean finishJob(
                String tagId, String batchId, long members, TagImportJobStatus to, List<TagImportJobStatus> from) {
            events.add("finish " + members);
            return to == TagImportJobStatus.DONE
                    && from.contains(jobs.get(batchId).getStatus());
        }
    };

    private final IUserBitIndexRepository bitIndex = new IUserBitIndexRepository() {
        @Override
        public Map<PartnerUserVO, Long> assign(Collection<PartnerUserVO> users) {
            Map<PartnerUserVO, Long> positions = new HashMap<>();
            users.forEach(u -> positions.put(u, Long.parseLong(u.userId().substring(1))));
            return positions;
        }

        @Override
        public Long find(PartnerUserVO user) {
            return null;
        }
    };

    private final ITagBitmap bitmap = new ITagBitmap() {
        @Override
        public void stage(String tagId, String runId, long[] positions) {
            events.add("stage " + positions.length);
            for (long p : positions) {
                staged.add(p);
                stagedByRun.computeIfAbsent(runId, r -> new HashSet<>()).add(p);
            }
        }

        @Override
        public long beginRun(String tagId) {
            return ++runs;
        }

        @Override
        public boolean publishedAfter(String tagId, long run) {
            return publishedRun > run;
        }

        @Override
        public Publish publish(String tagId, String runId, String batchId, long members, long run) {
            events.add("publish");
            // As Redis's script: only a whole staging bitmap of a run no later run published after.
            if (publishedRun > run) {
                return Publish.SUPERSEDED;
            }
            if (stagedByRun.getOrDefault(runId, Set.of()).size() != members) {
                return Publish.INCOMPLETE;
            }
            published.add(batchId);
            publishedRun = run;
            return Publish.PUBLISHED;
        }

        @Override
        public boolean isLoaded(String tagId) {
            return false;
        }

        @Override
        public boolean contains(String tagId, long position) {
            return false;
        }
    };

    @Test
    void aTagOfExactlyTwoPagesReadsAThirdEmptyPageThenPublishesOnce() {
        job("b1", TagImportJobStatus.CREATED);
        IntStream.rangeClosed(1, 14).forEach(i -> rows.add(new TagMemberVO(i * 10L, "s01", "c01", "u" + i)));

        TagImportResult result = new CrowdTagImportService(tags, bitIndex, bitmap, 7).importMembers("b1");

        assertThat(result.members()).isEqualTo(14);
        assertThat(result.batches()).isEqualTo(2);
        // Keyset: each page starts after the last row id of the previous one.
        assertThat(events)
                .containsExactly("page>0", "stage 7", "page>70", "stage 7", "page>140", "finish 14", "publish");
        assertThat(staged).hasSize(14).doesNotHaveDuplicates();
    }

    @Test
    void aShortLastPageEndsTheLoopWithoutAnotherRead() {
        job("b1", TagImportJobStatus.DONE);
        IntStream.rangeClosed(1, 9).forEach(i -> rows.add(new TagMemberVO(i, "s01", "c01", "u" + i)));

        TagImportResult result = new CrowdTagImportService(tags, bitIndex, bitmap, 7).importMembers("b1");

        assertThat(result.batches()).isEqualTo(2);
        assertThat(events).containsExactly("page>0", "stage 7", "page>7", "stage 2", "finish 9", "publish");
    }

    @Test
    void anAbandonedJobOrAJobOfAnUnknownTagWritesNothing() {
        job("dead", TagImportJobStatus.ABANDONED);
        jobs.put(
                "orphan",
                CrowdTagJobEntity.builder()
                        .batchId("orphan")
                        .tagId("GONE")
                        .status(TagImportJobStatus.CREATED)
                        .build());
        CrowdTagImportService service = new CrowdTagImportService(tags, bitIndex, bitmap, 7);

        assertThatThrownBy(() -> service.importMembers("dead")).hasMessageContaining("abandoned");
        assertThatThrownBy(() -> service.importMembers("orphan")).hasMessageContaining("unknown tag");
        assertThat(events).isEmpty();
    }

    @Test
    void aTagWithAMemberRowNamingNoPartnerIsRefusedBeforeAnythingIsWritten() {
        job("b1", TagImportJobStatus.CREATED);
        rows.add(new TagMemberVO(1, "s01", "c01", "u1"));
        rows.add(new TagMemberVO(2, null, null, "u2")); // written before V16: whose u2?
        rows.add(new TagMemberVO(3, "s01", " ", "u3"));
        CrowdTagImportService service = new CrowdTagImportService(tags, bitIndex, bitmap, 7);

        assertThatThrownBy(() -> service.importMembers("b1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag T has 2 member row(s) without a partner");
        assertThatThrownBy(() -> service.requireRunnable("b1")).hasMessageContaining("without a partner");
        assertThat(events).isEmpty();
    }

    @Test
    void aRunWhoseStagedPositionsRedisLostIsReportedFailedAndNotPublished() {
        job("b1", TagImportJobStatus.CREATED);
        IntStream.rangeClosed(1, 9).forEach(i -> rows.add(new TagMemberVO(i, "s01", "c01", "u" + i)));
        // Redis restarted after the first page was staged: it keeps nothing on disk, so that page's bits are gone.
        ITagBitmap restarting = new ForwardingBitmap(bitmap) {
            private int pages;

            @Override
            public void stage(String tagId, String runId, long[] positions) {
                if (pages++ == 1) {
                    stagedByRun.clear();
                }
                super.stage(tagId, runId, positions);
            }
        };
        CrowdTagImportService service = new CrowdTagImportService(tags, bitIndex, restarting, 7);

        assertThatThrownBy(() -> service.importMembers("b1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Redis lost part of the run's staged members");
        assertThat(published).as("no partial member set goes live").isEmpty();
    }

    @Test
    void aRunBegunEarlierThanOneThatPublishedIsNeitherRecordedNorPublished() {
        job("b1", TagImportJobStatus.CREATED);
        IntStream.rangeClosed(1, 3).forEach(i -> rows.add(new TagMemberVO(i, "s01", "c01", "u" + i)));
        CrowdTagImportService service = new CrowdTagImportService(tags, bitIndex, bitmap, 7);
        // While the first run pages, u3's row is deleted and a second run (the console's, beside the schedule's) runs
        // whole: its members, read later, stand.
        ITagBitmap overlapped = new ForwardingBitmap(bitmap) {
            @Override
            public void stage(String tagId, String runId, long[] positions) {
                super.stage(tagId, runId, positions);
                rows.removeIf(r -> r.userId().equals("u3"));
                service.importMembers("b1");
            }
        };

        assertThatThrownBy(() -> new CrowdTagImportService(tags, bitIndex, overlapped, 7).importMembers("b1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a run of the tag begun after this one published first");
        assertThat(events).as("only the later run recorded its count").containsOnlyOnce("finish 2");
        assertThat(events).doesNotContain("finish 3");
        assertThat(published).containsExactly("b1");
    }

    @Test
    void aMemberRowWrittenAgainDuringTheRunIsReadTwiceButIsOneMember() {
        job("b1", TagImportJobStatus.CREATED);
        rows.add(new TagMemberVO(1, "s01", "c01", "u1"));
        rows.add(new TagMemberVO(2, "s01", "c01", "u2"));
        // u1's row deleted and inserted again (a new row id) while the run paged: the run reads u1 twice.
        rows.add(new TagMemberVO(3, "s01", "c01", "u1"));

        TagImportResult result = new CrowdTagImportService(tags, bitIndex, bitmap, 2).importMembers("b1");

        assertThat(result.members()).isEqualTo(2);
        assertThat(events).contains("finish 2");
        assertThat(published).containsExactly("b1");
    }

    /**
     * A parameter naming batch X (of tag T) and also tag X ran batch X, tag T: an operator who meant tag X loaded
     * another tag, with nothing said. It is refused now, naming both, until written {@code batch:X} or {@code tag:X};
     * a parameter naming one job only runs as before.
     */
    @Test
    void aParameterThatIsABatchIdAndAnotherTagsIdIsRefusedUntilItSaysWhichItMeans() {
        job("X", TagImportJobStatus.CREATED);
        job("b1", TagImportJobStatus.CREATED);
        knownTags.add("X");
        jobs.put(
                "bx",
                CrowdTagJobEntity.builder()
                        .batchId("bx")
                        .tagId("X")
                        .status(TagImportJobStatus.CREATED)
                        .build());
        rows.add(new TagMemberVO(1, "s01", "c01", "u1"));
        CrowdTagImportService service = new CrowdTagImportService(tags, bitIndex, bitmap, 7);

        assertThatThrownBy(() -> service.importMembers(" X "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'X' is both batch X (of tag T) and tag X: write batch:X or tag:X");
        assertThatThrownBy(() -> service.requireRunnable("X")).hasMessageContaining("write batch:X or tag:X");
        assertThat(events).as("nothing run").isEmpty();

        TagImportResult batch = service.importMembers("batch:X");
        assertThat(List.of(batch.tagId(), batch.batchId())).containsExactly("T", "X");
        TagImportResult tag = service.importMembers("tag:X");
        assertThat(List.of(tag.tagId(), tag.batchId())).containsExactly("X", "bx");
        TagImportResult plainBatch = service.importMembers("bx");
        assertThat(List.of(plainBatch.tagId(), plainBatch.batchId())).containsExactly("X", "bx");
        TagImportResult plainTag = service.importMembers("T");
        assertThat(List.of(plainTag.tagId(), plainTag.batchId())).containsExactly("T", "b1");
        assertThatThrownBy(() -> service.importMembers("tag:bx")).hasMessage("no crowd tag job for tag bx");
        assertThatThrownBy(() -> service.importMembers("batch:T")).hasMessage("no crowd tag job for batch T");
    }

    @Test
    void theBatchSizeMustBeSensible() {
        assertThatThrownBy(() -> new CrowdTagImportService(tags, bitIndex, bitmap, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        new CrowdTagImportService(tags, bitIndex, bitmap, CrowdTagImportService.MAX_BATCH_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Found by mutation testing: the bounds of the batch size moved by one (1 or the most refused) survived. */
    @Test
    void aBatchOfOneRowAndOfTheMostRowsAreAccepted() {
        job("b1", TagImportJobStatus.CREATED);
        IntStream.rangeClosed(1, 2).forEach(i -> rows.add(new TagMemberVO(i, "s01", "c01", "u" + i)));

        assertThat(new CrowdTagImportService(tags, bitIndex, bitmap, 1)
                        .importMembers("b1")
                        .batches())
                .isEqualTo(2);
        assertThat(new CrowdTagImportService(tags, bitIndex, bitmap, CrowdTagImportService.MAX_BATCH_SIZE)
                        .importMembers("b1")
                        .batches())
                .isEqualTo(1);
    }

    /**
     * A run reports its member rows on the progress board as it pages (the console's and the admin API's view, #18):
     * rows done of the total, done at the end; a run that fails is reported failed with its reason. Found by mutation
     * testing: removing the advance, the done or the failed report survived.
     */
    @Test
    void aRunReportsItsRowsOnTheProgressBoardAndEndsDoneOrFailed() {
        job("b1", TagImportJobStatus.CREATED);
        IntStream.rangeClosed(1, 3).forEach(i -> rows.add(new TagMemberVO(i, "s01", "c01", "u" + i)));
        InMemoryProgressBoard board = new InMemoryProgressBoard(10);

        new CrowdTagImportService(tags, bitIndex, bitmap, 2, board).importMembers("b1");

        WorkProgress done = board.get(CrowdTagImportService.PROGRESS_KIND, "b1").orElseThrow();
        assertThat(done.state()).isEqualTo(WorkProgress.State.DONE);
        assertThat(List.of(done.done(), done.total()))
                .as("rows done of a total the repository did not know")
                .containsExactly(3L, 3L);

        ITagBitmap superseding = new ForwardingBitmap(bitmap) {
            @Override
            public boolean publishedAfter(String tagId, long run) {
                return true;
            }
        };
        assertThatThrownBy(() -> new CrowdTagImportService(tags, bitIndex, superseding, 2, board).importMembers("b1"))
                .isInstanceOf(IllegalStateException.class);

        WorkProgress failed =
                board.get(CrowdTagImportService.PROGRESS_KIND, "b1").orElseThrow();
        assertThat(failed.state()).isEqualTo(WorkProgress.State.FAILED);
        assertThat(failed.done()).isEqualTo(3);
        assertThat(failed.error()).contains("a run of the tag begun after this one published first");
    }

    /** The id a run's parameter names (the console keys its progress by it); no parameter names none. */
    @Test
    void aRunsParameterNamesItsIdWithoutItsPrefixAndNoParameterNamesNone() {
        assertThat(CrowdTagImportService.idOf(" batch:b-42 ")).isEqualTo("b-42");
        assertThat(CrowdTagImportService.idOf("tag:VIP")).isEqualTo("VIP");
        assertThat(CrowdTagImportService.idOf("VIP")).isEqualTo("VIP");
        assertThat(CrowdTagImportService.idOf(null)).isNull();
    }

    private void job(String batchId, TagImportJobStatus status) {
        jobs.put(
                batchId,
                CrowdTagJobEntity.builder()
                        .batchId(batchId)
                        .tagId("T")
                        .status(status)
                        .build());
    }

    /** A bitmap that does what {@code delegate} does; tests override the step they disturb. */
    private static class ForwardingBitmap implements ITagBitmap {
        private final ITagBitmap delegate;

        ForwardingBitmap(ITagBitmap delegate) {
            this.delegate = delegate;
        }

        @Override
        public void stage(String tagId, String runId, long[] positions) {
            delegate.stage(tagId, runId, positions);
        }

        @Override
        public long beginRun(String tagId) {
            return delegate.beginRun(tagId);
        }

        @Override
        public boolean publishedAfter(String tagId, long run) {
            return delegate.publishedAfter(tagId, run);
        }

        @Override
        public Publish publish(String tagId, String runId, String batchId, long members, long run) {
            return delegate.publish(tagId, runId, batchId, members, run);
        }

        @Override
        public boolean isLoaded(String tagId) {
            return delegate.isLoaded(tagId);
        }

        @Override
        public boolean contains(String tagId, long position) {
            return delegate.contains(tagId, position);
        }
    }
}
