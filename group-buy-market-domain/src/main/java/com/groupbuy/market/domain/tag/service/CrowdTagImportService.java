package com.groupbuy.market.domain.tag.service;

import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.entity.CrowdTagJobEntity;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import com.groupbuy.market.domain.tag.model.valobj.TagImportResult;
import com.groupbuy.market.domain.tag.model.valobj.TagMemberVO;
import com.groupbuy.market.types.progress.ProgressBoard;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import lombok.extern.slf4j.Slf4j;

/**
 * Loads a tag's members from its detail rows into the tag's bitmap, page by page (keyset on the row id, so a page
 * costs the same at the end of a big tag as at its start). Each run builds the member set afresh and publishes it
 * at once, so running a job twice gives the same members and the same count, and members removed from the
 * detail table since the last run are removed from the bitmap too. Each row names the partner (source + channel) whose
 * user it is, and its bit is that partner user's: another partner's user with the same id is not a member.
 */
@Slf4j
public class CrowdTagImportService {

    public static final int MAX_BATCH_SIZE = 10_000;
    /**
     * The longest batch id or tag id a run may name: a tag id's column ({@code crowd_tags.tag_id VARCHAR(32)}; a batch
     * id is at most 16). Anything longer names nothing.
     */
    public static final int MAX_BATCH_OR_TAG_ID = 32;
    /**
     * Written before an id, they say which it is ({@code batch:b-42}, {@code tag:VIP}): a bare id that is a batch id and
     * another tag's id is refused, as the operator may have meant either.
     */
    public static final String BATCH_PREFIX = "batch:";

    public static final String TAG_PREFIX = "tag:";
    /** The progress board's kind for imports; the subject is the batch id. */
    public static final String PROGRESS_KIND = "tag-import";

    private final ICrowdTagRepository tags;
    private final IUserBitIndexRepository bitIndex;
    private final ITagBitmap bitmap;
    private final int batchSize;
    private final ProgressBoard progressBoard;

    public CrowdTagImportService(
            ICrowdTagRepository tags, IUserBitIndexRepository bitIndex, ITagBitmap bitmap, int batchSize) {
        this(tags, bitIndex, bitmap, batchSize, ProgressBoard.NONE);
    }

    /** As above, reporting each run's member rows done / total on {@code progressBoard} (#18). */
    public CrowdTagImportService(
            ICrowdTagRepository tags,
            IUserBitIndexRepository bitIndex,
            ITagBitmap bitmap,
            int batchSize,
            ProgressBoard progressBoard) {
        // A page becomes one IN list and one multi-row insert: past a few thousand rows that stops paying off.
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH_SIZE + ", was " + batchSize);
        }
        this.tags = tags;
        this.bitIndex = bitIndex;
        this.bitmap = bitmap;
        this.batchSize = batchSize;
        this.progressBoard = progressBoard;
    }

    /**
     * Runs the job named by {@code batchIdOrTagId}: a batch id, else a tag id (its newest job that was not
     * abandoned); {@code batch:<id>} or {@code tag:<id>} says which. Throws {@link IllegalArgumentException} when it
     * names no runnable job, or names a batch and another tag without saying which.
     */
    public TagImportResult importMembers(String batchIdOrTagId) {
        return loadOnTheBoard(runnableJob(batchIdOrTagId));
    }

    /**
     * Loads the tag's bitmap again from its member rows, as its last finished job did, without an operator: Redis lost
     * it (a restart, a failover to an empty replica, a flush). The member rows are read as they are now, exactly as a
     * rerun of that job would read them. Throws {@link IllegalArgumentException} when no import of the tag ever
     * finished (then there is nothing to restore: the tag admits nobody until an operator runs one) or when its rows
     * cannot be loaded (rows naming no partner).
     */
    public TagImportResult rebuild(String tagId) {
        CrowdTagJobEntity job = tags.queryLatestDoneJobOfTag(tagId);
        if (job == null) {
            throw new IllegalArgumentException("crowd tag " + tagId + " was never imported: nothing to rebuild");
        }
        long withoutPartner = tags.countMembersWithoutPartner(tagId);
        if (withoutPartner > 0) {
            throw new IllegalArgumentException(withoutPartner(tagId, withoutPartner));
        }
        return loadOnTheBoard(job);
    }

    /** The job's load, reported on the progress board as it goes, and as failed when it throws. */
    private TagImportResult loadOnTheBoard(CrowdTagJobEntity job) {
        ProgressBoard.Progress progress =
                progressBoard.start(PROGRESS_KIND, job.getBatchId(), tags.countMembers(job.getTagId()));
        try {
            TagImportResult result = load(job, progress);
            progress.done();
            return result;
        } catch (RuntimeException e) {
            progress.failed(String.valueOf(e.getMessage()));
            throw e;
        }
    }

    private TagImportResult load(CrowdTagJobEntity job, ProgressBoard.Progress progress) {
        String runId = UUID.randomUUID().toString();
        long run = bitmap.beginRun(job.getTagId());
        long rows = 0;
        StagedPositions staged = new StagedPositions();
        int batches = 0;
        long afterId = 0;
        // Members per partner, for the log: ids compare exactly, so a partner spelled otherwise than it calls us
        // (S01 for s01) loads members nobody can be; the operator sees it here.
        Map<String, Long> perPartner = new TreeMap<>();
        List<TagMemberVO> page;
        do {
            page = tags.queryMembers(job.getTagId(), afterId, batchSize);
            if (page.isEmpty()) {
                break;
            }
            // A row naming no partner written after the check in runnableJob stops the run before this page is
            // staged: nothing is published, the live member set and the job row stay as they were.
            for (TagMemberVO member : page) {
                if (!member.namesPartner()) {
                    throw new IllegalArgumentException(withoutPartner(job.getTagId(), 1));
                }
            }
            Map<PartnerUserVO, Long> positions =
                    bitIndex.assign(page.stream().map(TagMemberVO::user).toList());
            long[] pagePositions =
                    page.stream().mapToLong(m -> positions.get(m.user())).toArray();
            bitmap.stage(job.getTagId(), runId, pagePositions);
            staged.addAll(pagePositions);
            page.forEach(m -> perPartner.merge(m.source() + "/" + m.channel(), 1L, Long::sum));
            rows += page.size();
            batches++;
            progress.advance(page.size());
            afterId = page.get(page.size() - 1).id();
        } while (page.size() == batchSize);

        // Recorded before it is published. Published first, a record that then failed (a database blip, a deadlock)
        // left a tag whose members Redis admitted while the database said it was never imported: once Redis lost its
        // data the repair found nothing to rebuild and the admitted members were refused. Recorded first, a failed
        // record publishes nothing (as if the run never happened), and a failed publish leaves what was live before
        // (the previous run's members, or none) while the database says imported: a loss of that bitmap is answered
        // from the member rows and rebuilt, as for any imported tag. Either way the run is reported failed and a
        // run again publishes and records both.
        long members = staged.count();
        // Two runs of a tag at once (a console run beside the scheduled one, a rebuild beside an import): the one begun
        // later read the rows later, so its members stand. Published last, the older run's members replaced them: a
        // member whose row the operator deleted before starting the newer run was admitted again, and the older run's
        // count recorded. Asked before recording, and again in the publish itself.
        if (bitmap.publishedAfter(job.getTagId(), run)) {
            throw superseded(job);
        }
        if (!tags.finishJob(
                job.getTagId(), job.getBatchId(), members, job.finishRun(), TagImportJobStatus.runnable())) {
            // Abandoned by an operator while this run paged: recorded done, the abandon was undone (and the job ran on
            // its schedule). Not published either: the operator stopped this job, not the tag's previous members.
            throw new IllegalStateException("crowd tag job " + job.getBatchId() + " of tag " + job.getTagId()
                    + " was abandoned while it ran: nothing recorded or published, the previous members stay live");
        }
        ITagBitmap.Publish published;
        try {
            published = bitmap.publish(job.getTagId(), runId, job.getBatchId(), members, run);
        } catch (RuntimeException e) {
            log.error(
                    "crowd tag import tag={} batch={} recorded done (members={}) but not published: the previous "
                            + "members stay live until the job is run again",
                    job.getTagId(),
                    job.getBatchId(),
                    members);
            throw e;
        }
        if (published == ITagBitmap.Publish.SUPERSEDED) {
            throw superseded(job);
        }
        if (published == ITagBitmap.Publish.INCOMPLETE) {
            // The staging bitmap lost positions while the run paged: Redis restarted (it keeps nothing on disk), or it
            // failed over to a replica behind. Published anyway, the members staged before the loss were refused, and
            // with the loaded mark set nothing repaired it (a loss after the last page published an empty tag). As any
            // failed publish: the previous members stay live (a tag never published is answered from its rows and
            // rebuilt, TagBitmapRepair), the run is reported failed, and a run again publishes.
            throw new IllegalStateException("crowd tag import tag=" + job.getTagId() + " batch=" + job.getBatchId()
                    + ": Redis lost part of the run's staged members (" + members + " staged; a restart or a "
                    + "failover during the run?): nothing published, the previous members stay live; run it again");
        }
        log.info(
                "crowd tag import tag={} batch={} members={} rows={} batches={} partners={}",
                job.getTagId(),
                job.getBatchId(),
                members,
                rows,
                batches,
                perPartner);
        return new TagImportResult(job.getTagId(), job.getBatchId(), members, batches);
    }

    /**
     * Checks, without running it, that {@code batchIdOrTagId} names a job {@link #importMembers} would run: the same
     * {@link IllegalArgumentException} it would throw otherwise (no such job, abandoned, unknown tag, member rows naming
     * no partner). The console asks before it queues a run, so a typo is answered as an error at once instead of as
     * work started.
     */
    public void requireRunnable(String batchIdOrTagId) {
        runnableJob(batchIdOrTagId);
    }

    private CrowdTagJobEntity runnableJob(String batchIdOrTagId) {
        CrowdTagJobEntity job = resolveJob(batchIdOrTagId);
        if (!tags.existsTag(job.getTagId())) {
            throw new IllegalArgumentException("job " + job.getBatchId() + " names unknown tag " + job.getTagId());
        }
        // User ids are each partner's own: a member row that does not say whose user it is cannot be loaded (as
        // any partner's user it could admit a stranger), and loading the rest would silently drop members. The whole
        // tag is refused before anything is written.
        long withoutPartner = tags.countMembersWithoutPartner(job.getTagId());
        if (withoutPartner > 0) {
            throw new IllegalArgumentException(withoutPartner(job.getTagId(), withoutPartner));
        }
        return job;
    }

    private static IllegalStateException superseded(CrowdTagJobEntity job) {
        return new IllegalStateException("crowd tag import tag=" + job.getTagId() + " batch=" + job.getBatchId()
                + ": a run of the tag begun after this one published first; its members stand, this run's (read "
                + "earlier) are not published");
    }

    private static String withoutPartner(String tagId, long rows) {
        return "tag " + tagId + " has " + rows + " member row(s) without a partner: set crowd_tags_detail.source and "
                + "channel (the partner whose user ids they are) on them, then run the import again";
    }

    /** The id a run's parameter names, without its {@code batch:} or {@code tag:} (trimmed; null as null). */
    public static String idOf(String batchIdOrTagId) {
        if (batchIdOrTagId == null) {
            return null;
        }
        String key = batchIdOrTagId.trim();
        if (key.startsWith(BATCH_PREFIX)) {
            return key.substring(BATCH_PREFIX.length());
        }
        return key.startsWith(TAG_PREFIX) ? key.substring(TAG_PREFIX.length()) : key;
    }

    private CrowdTagJobEntity resolveJob(String batchIdOrTagId) {
        String key = idOf(batchIdOrTagId);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a batch id or tag id is required");
        }
        String given = batchIdOrTagId.trim();
        CrowdTagJobEntity job;
        String named;
        if (given.startsWith(BATCH_PREFIX)) {
            job = tags.queryJobByBatchId(key);
            named = "batch " + key;
        } else if (given.startsWith(TAG_PREFIX)) {
            job = tags.queryLatestJobOfTag(key);
            named = "tag " + key;
        } else {
            job = tags.queryJobByBatchId(key);
            // Both a batch of one tag and another tag's id: the batch's tag ran, whichever the operator meant.
            if (job != null && !job.getTagId().equals(key) && tags.existsTag(key)) {
                throw new IllegalArgumentException("'" + key + "' is both batch " + key + " (of tag " + job.getTagId()
                        + ") and tag " + key + ": write " + BATCH_PREFIX + key + " or " + TAG_PREFIX + key);
            }
            if (job == null) {
                job = tags.queryLatestJobOfTag(key);
            }
            named = "batch or tag " + key;
        }
        if (job == null) {
            throw new IllegalArgumentException("no crowd tag job for " + named);
        }
        job.requireRunnable();
        return job;
    }
}
