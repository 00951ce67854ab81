package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import java.util.List;

/** The stored codes of the outbox's task states, as the mappers bind them (no state number is written in SQL). */
final class TaskStates {

    /** Owed: not delivered yet and not given up on (INIT, RETRY). */
    static final List<Integer> PENDING =
            NotifyTaskStatus.pending().stream().map(NotifyTaskStatus::code).toList();

    private TaskStates() {}
}
