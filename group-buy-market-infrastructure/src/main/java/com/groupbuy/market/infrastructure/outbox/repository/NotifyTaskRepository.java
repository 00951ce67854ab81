package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.infrastructure.ids.UniqueIds;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Repository;

/** The outbox write: a plain insert on the Spring-managed connection, so it joins the caller's transaction. */
@Repository
public class NotifyTaskRepository implements INotifyTaskRepository {

    private final INotifyTaskDao dao;
    private final Clock clock;

    public NotifyTaskRepository(INotifyTaskDao dao, Clock clock) {
        this.dao = dao;
        this.clock = clock;
    }

    @Override
    public long saveTask(NotifyTaskEntity task) {
        NotifyTaskPO po = new NotifyTaskPO();
        po.setTaskKey(task.getTaskKey());
        po.setWebhookId("msg_" + UniqueIds.hex32());
        po.setActivityId(task.getActivityId());
        po.setTeamId(task.getTeamId());
        po.setSource(task.getSource());
        po.setChannel(task.getChannel());
        po.setNotifyCategory(task.getNotifyCategory());
        po.setNotifyType(task.getNotifyType());
        po.setNotifyMq(task.getNotifyMq());
        po.setNotifyUrl(task.getNotifyUrl());
        po.setBody(task.getBody());
        po.setNotifyStatus(NotifyTaskStatus.INIT.code());
        po.setNextAttemptTime(Instant.now(clock));
        if (dao.insertIgnore(po) == 1 && po.getId() != null) {
            return po.getId();
        }
        // The key was taken (a retried event): the task already written is the one to name.
        return dao.queryIdByTaskKey(task.getTaskKey());
    }
}
