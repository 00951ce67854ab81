package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
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
        NotifyTaskPO po = row(task);
        if (dao.insertIgnore(po) == 1 && po.getId() != null) {
            return po.getId();
        }
        // The key was taken (a retried event): the task already written is the one to name.
        return dao.queryIdByTaskKey(task.getTaskKey());
    }

    @Override
    public NotifyTaskVO saveLeased(NotifyTaskEntity task, NotifyLease lease) {
        NotifyTaskPO po = row(task);
        po.setClaimedBy(lease.holder());
        po.setClaimToken(lease.token());
        po.setClaimUntil(lease.until());
        if (dao.insertIgnore(po) != 1 || po.getId() == null) {
            return null;
        }
        return NotifyTaskVO.builder()
                .id(po.getId())
                .webhookId(po.getWebhookId())
                .teamId(po.getTeamId())
                .source(po.getSource())
                .channel(po.getChannel())
                .notifyCategory(po.getNotifyCategory())
                .notifyType(po.getNotifyType())
                .notifyMq(po.getNotifyMq())
                .notifyUrl(po.getNotifyUrl())
                .body(po.getBody())
                .notifyCount(0)
                .claimToken(lease.token())
                .build();
    }

    private NotifyTaskPO row(NotifyTaskEntity task) {
        NotifyTaskPO po = new NotifyTaskPO();
        po.setTaskKey(task.getTaskKey());
        po.setWebhookId("msg_" + UUID.randomUUID().toString().replace("-", ""));
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
        return po;
    }
}
