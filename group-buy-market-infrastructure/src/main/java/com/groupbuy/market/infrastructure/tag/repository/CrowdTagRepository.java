package com.groupbuy.market.infrastructure.tag.repository;

import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.model.entity.CrowdTagJobEntity;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import com.groupbuy.market.domain.tag.model.valobj.TagMemberVO;
import com.groupbuy.market.infrastructure.tag.dao.ICrowdTagDao;
import com.groupbuy.market.infrastructure.tag.po.CrowdTagJobPO;
import java.util.List;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Crowd tags, jobs and member rows over MyBatis. */
@Repository
public class CrowdTagRepository implements ICrowdTagRepository {

    private final ICrowdTagDao dao;
    private final TransactionTemplate transaction;

    public CrowdTagRepository(ICrowdTagDao dao, TransactionTemplate transaction) {
        this.dao = dao;
        this.transaction = transaction;
    }

    @Override
    public boolean existsTag(String tagId) {
        return dao.countTag(tagId) > 0;
    }

    @Override
    public CrowdTagJobEntity queryJobByBatchId(String batchId) {
        return toJob(dao.queryJobByBatchId(batchId));
    }

    @Override
    public CrowdTagJobEntity queryLatestJobOfTag(String tagId) {
        return toJob(dao.queryLatestJobOfTag(tagId, codes(TagImportJobStatus.runnable())));
    }

    @Override
    public CrowdTagJobEntity queryLatestDoneJobOfTag(String tagId) {
        return toJob(dao.queryLatestJobOfTag(tagId, codes(TagImportJobStatus.imported())));
    }

    @Override
    public boolean hasMember(String tagId, PartnerUserVO user) {
        return dao.countMember(tagId, user.source(), user.channel(), user.userId()) > 0;
    }

    @Override
    public List<TagMemberVO> queryMembers(String tagId, long afterId, int limit) {
        return dao.queryMembers(tagId, afterId, limit).stream()
                .map(po -> new TagMemberVO(po.getId(), po.getSource(), po.getChannel(), po.getUserId()))
                .toList();
    }

    @Override
    public long countMembers(String tagId) {
        return dao.countMembers(tagId);
    }

    @Override
    public long countMembersWithoutPartner(String tagId) {
        return dao.countMembersWithoutPartner(tagId);
    }

    @Override
    public boolean finishJob(
            String tagId, String batchId, long members, TagImportJobStatus to, List<TagImportJobStatus> from) {
        // Count and status change together: a reader never sees a done job with the previous run's count. The job is
        // moved first: abandoned meanwhile (no longer in from), it is not moved, and the count is not written either.
        return Boolean.TRUE.equals(transaction.execute(status -> {
            if (dao.updateJobStatus(batchId, to.code(), codes(from)) == 0) {
                return false;
            }
            dao.updateStatistics(tagId, members);
            return true;
        }));
    }

    private static CrowdTagJobEntity toJob(CrowdTagJobPO po) {
        return po == null
                ? null
                : CrowdTagJobEntity.builder()
                        .batchId(po.getBatchId())
                        .tagId(po.getTagId())
                        .status(TagImportJobStatus.of(po.getStatus()))
                        .build();
    }

    private static List<Integer> codes(List<TagImportJobStatus> states) {
        return states.stream().map(TagImportJobStatus::code).toList();
    }
}
