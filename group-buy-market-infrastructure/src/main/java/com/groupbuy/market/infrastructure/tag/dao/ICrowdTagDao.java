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

    CrowdTagJobPO queryLatestJobOfTag(@Param("tagId") String tagId);

    CrowdTagJobPO queryLatestDoneJobOfTag(@Param("tagId") String tagId);

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

    /** 1, or 0 when the job is abandoned (or gone): an abandon is never undone here. */
    int markJobDone(@Param("batchId") String batchId);
}
