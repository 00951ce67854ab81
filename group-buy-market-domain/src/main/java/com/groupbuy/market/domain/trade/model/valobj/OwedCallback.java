package com.groupbuy.market.domain.trade.model.valobj;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.util.List;

/**
 * The callback a settlement wrote: its task id, and the task as its lease holder delivers it when it was written under
 * a lease ({@code leased}; null when written unleased, or when its key was taken and the task already written is the
 * one owed). {@code othersOwed}: the ids of the completion callbacks owed, in the same transaction, to the other
 * partners whose buyers paid in a team mixed before teams were kept to their partner (written unleased, handed over by
 * id; empty for every other team).
 */
public record OwedCallback(long taskId, NotifyTaskVO leased, List<Long> othersOwed) {

    public OwedCallback {
        othersOwed = othersOwed == null ? List.of() : List.copyOf(othersOwed);
    }

    public OwedCallback(long taskId, NotifyTaskVO leased) {
        this(taskId, leased, List.of());
    }
}
