package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRetention;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyRetentionDao;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Retention deletes over MyBatis: one short read-committed transaction per batch. */
@Repository
public class NotifyTaskRetention implements INotifyTaskRetention {

    private final INotifyRetentionDao dao;
    /** Read committed: the locking read takes no gap locks, so settlements inserting new tasks never wait on it. */
    private final TransactionTemplate transaction;

    public NotifyTaskRetention(INotifyRetentionDao dao, TransactionTemplate transaction) {
        this.dao = dao;
        this.transaction = new TransactionTemplate(transaction.getTransactionManager());
        this.transaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    }

    @Override
    public int deleteDeliveredBefore(Instant deliveredBefore, int limit) {
        Integer deleted = transaction.execute(status -> {
            List<Long> ids = dao.lockDeliveredBefore(deliveredBefore, limit);
            if (ids.isEmpty()) {
                return 0;
            }
            dao.deleteAttempts(ids);
            return dao.deleteDelivered(ids);
        });
        return deleted == null ? 0 : deleted;
    }
}
