package com.groupbuy.market.infrastructure.outbox.repository;


import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskDeferral;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyDeferralDao;
import org.springframework.stereotype.Repository;

import java.time.Instant;

/** #17: one guarded update; no notify_attempt row, since no call was made. */
@Repository
public class NotifyTaskDeferral implements INotifyTaskDeferral {

    private static final int MAX_ERROR = 500;

    private final INotifyDeferralDao dao;

    public NotifyTaskDeferral(INotifyDeferralDao dao) {
        this.dao = dao;
    }

    @Override
    public boolean defer(NotifyTaskVO task, Instant until, String reason) {
        String error = reason == null ? null : reason.substring(0, Math.min(MAX_ERROR, reason.length()));
        // Whichever pending state the task is in (INIT or RETRY), a deferral moves it to the same one.
        return dao.defer(task.getId(), task.getClaimToken(), until, error, TaskStates.PENDING,
                NotifyTaskStatus.RETRY.defer().code()) == 1;
    }
}
