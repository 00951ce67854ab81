package com.groupbuy.market.domain.tag.adapter.repository;

import com.groupbuy.market.domain.tag.model.entity.CrowdTagJobEntity;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import com.groupbuy.market.domain.tag.model.valobj.TagMemberVO;
import java.util.List;

/** Tags, their import jobs and their member rows. */
public interface ICrowdTagRepository {

    boolean existsTag(String tagId);

    /** The job with this batch id, or null. */
    CrowdTagJobEntity queryJobByBatchId(String batchId);

    /** The newest job of a tag that a run may take ({@link TagImportJobStatus#runnable}), or null. */
    CrowdTagJobEntity queryLatestJobOfTag(String tagId);

    /**
     * How many of the tag's member rows name no partner a caller could be (source or channel missing or blank: rows
     * written before V16 among them). An import refuses such a tag: whose user such a row means is unknown.
     */
    long countMembersWithoutPartner(String tagId);

    /** Up to {@code limit} members of a tag with a row id above {@code afterId}, in row id order (keyset paging). */
    List<TagMemberVO> queryMembers(String tagId, long afterId, int limit);

    /**
     * In one transaction: the job's status becomes {@code to} (what the run decided, {@link
     * TagImportJobStatus#finishRun}) and the tag's {@code statistics} {@code members}, when the job's status is still
     * one of {@code from}. False, and nothing written, when it is not: abandoned meanwhile (an operator's abandon is
     * not undone by a run finishing).
     */
    boolean finishJob(String tagId, String batchId, long members, TagImportJobStatus to, List<TagImportJobStatus> from);

    /**
     * The newest job of the tag that an import finished ({@link TagImportJobStatus#isImported}), or null: whether the
     * tag's members were ever published to Redis, which a Redis that lost its data no longer knows.
     */
    default CrowdTagJobEntity queryLatestDoneJobOfTag(String tagId) {
        return null;
    }

    /** Whether the tag has a member row for this partner's user (ids compared exactly); one unique-key read. */
    default boolean hasMember(String tagId, PartnerUserVO user) {
        return false;
    }

    /** How many detail rows (members) the tag has now: the total of an import's progress; -1 when not known. */
    default long countMembers(String tagId) {
        return -1;
    }
}
