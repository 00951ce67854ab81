package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyBacklogRepository;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyBacklogVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyBacklogDao;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Repository;

/** The outbox backlog over MyBatis: owed tasks by status, the oldest due, the count due now. */
@Repository
public class NotifyBacklogRepository implements INotifyBacklogRepository {

    private final INotifyBacklogDao dao;

    public NotifyBacklogRepository(INotifyBacklogDao dao) {
        this.dao = dao;
    }

    @Override
    public NotifyBacklogVO backlog(Instant now) {
        Map<Integer, Long> owed = new LinkedHashMap<>();
        for (NotifyTaskStatus status : NotifyTaskStatus.owed()) {
            owed.put(status.code(), dao.countByStatus(status.code()));
        }
        return new NotifyBacklogVO(owed, dao.oldestDue(now, TaskStates.PENDING));
    }

    @Override
    public long countDue(Instant now) {
        return dao.countDue(now, TaskStates.PENDING);
    }

    @Override
    public boolean anyLeftDue(Instant dueBefore) {
        return dao.anyLeftDue(dueBefore, TaskStates.PENDING) != null;
    }
}
