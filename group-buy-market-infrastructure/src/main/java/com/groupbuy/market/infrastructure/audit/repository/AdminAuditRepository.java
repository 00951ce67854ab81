package com.groupbuy.market.infrastructure.audit.repository;

import com.groupbuy.market.domain.audit.adapter.repository.IAdminAuditRepository;
import com.groupbuy.market.domain.audit.model.valobj.AdminActionVO;
import com.groupbuy.market.infrastructure.audit.dao.IAdminActionDao;
import com.groupbuy.market.infrastructure.audit.po.AdminActionPO;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Repository;

/** admin_action rows. */
@Repository
public class AdminAuditRepository implements IAdminAuditRepository {

    private final IAdminActionDao dao;

    public AdminAuditRepository(IAdminActionDao dao) {
        this.dao = dao;
    }

    @Override
    public long record(AdminActionVO action) {
        AdminActionPO row = new AdminActionPO();
        row.setOperator(action.operator());
        row.setSharedToken(action.sharedToken());
        row.setMethod(action.method());
        row.setPath(action.path());
        row.setQuery(action.query());
        row.setRemoteAddress(action.remoteAddress());
        row.setActedAt(action.actedAt());
        dao.insert(row);
        return row.getId();
    }

    @Override
    public boolean answer(long id, int httpStatus, String code, Instant answeredAt) {
        return dao.fillOutcome(id, httpStatus, code, answeredAt) == 1;
    }

    @Override
    public int deleteBefore(Instant before, int limit) {
        return dao.deleteBefore(before, limit);
    }

    @Override
    public List<AdminActionVO> actions(int offset, int limit) {
        return dao.queryPage(offset, limit).stream()
                .map(r -> new AdminActionVO(
                        r.getId(),
                        r.getOperator(),
                        r.isSharedToken(),
                        r.getMethod(),
                        r.getPath(),
                        r.getQuery(),
                        r.getRemoteAddress(),
                        r.getHttpStatus(),
                        r.getCode(),
                        r.getActedAt(),
                        r.getAnsweredAt()))
                .toList();
    }
}
