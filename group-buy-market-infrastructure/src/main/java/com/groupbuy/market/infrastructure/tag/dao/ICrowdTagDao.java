package com.groupbuy.market.infrastructure.tag.dao;

import com.groupbuy.market.infrastructure.tag.po.CrowdTagDetailPO;
import com.groupbuy.market.infrastructure.tag.po.CrowdTagJobPO;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** crowd_tags, crowd_tags_job and crowd_tags_detail, each read by a unique key or an index. */
@Mapper
public interface ICrowdTagDao {

    int countTag(@Param("tagId") String tagId);

    CrowdTagJobPO queryJobByBatchId(@Param("batchId") String batchId);

    /** The newest job of the tag whose status is one of {@code statuses}, or null. */
    CrowdTagJobPO queryLatestJobOfTag(@Param("tagId") String tagId, @Param("statuses") List<Integer> statuses);

    /** uq_tag_partner_user: one key, 0 or 1. */
    int countMember(
            @Param("tagId") String tagId,
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("userId") String userId);

    /** uq_tag_partner_user: an index range count. */
    long countMembers(@Param("tagId") String tagId);

    /** Member rows of the tag whose source or channel is missing or blank (uq_tag_partner_user's range of the tag). */
    long countMembersWithoutPartner(@Param("tagId") String tagId);

    List<CrowdTagDetailPO> queryMembers(
            @Param("tagId") String tagId, @Param("afterId") long afterId, @Param("limit") int limit);

    int updateStatistics(@Param("tagId") String tagId, @Param("statistics") long statistics);

    /**
     * The job's status becomes {@code to} when it is one of {@code from}: 1, or 0 when it is not (an abandon is never
     * undone by a run) or the job is gone.
     */
    int updateJobStatus(@Param("batchId") String batchId, @Param("to") int to, @Param("from") List<Integer> from);
}
