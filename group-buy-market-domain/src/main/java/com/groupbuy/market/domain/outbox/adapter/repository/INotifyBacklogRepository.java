package com.groupbuy.market.domain.outbox.adapter.repository;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyBacklogVO;
import java.time.Instant;

/** How much the outbox still owes partners: what metrics and the operators' console read. */
public interface INotifyBacklogRepository {

    /** Owed tasks by status and the oldest one due at {@code now}; index range reads only (never the done rows). */
    NotifyBacklogVO backlog(Instant now);

    /** Tasks owed and due now, close checks aside: the due backlog operators watch. */
    long countDue(Instant now);

    /**
     * Whether a task owed and not leased now (by the database's clock, which judges every lease) has been due since
     * before {@code dueBefore}: no compensation run has taken it for that long (the local scheduler's check on a
     * console that holds our registration).
     */
    boolean anyLeftDue(Instant dueBefore);
}
