package com.groupbuy.market.domain.trade.model.valobj;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;

/**
 * The callback a settlement wrote: its task id, and the task as its lease holder delivers it when it was written under
 * a lease ({@code leased}; null when written unleased, or when its key was taken and the task already written is the
 * one owed).
 */
public record OwedCallback(long taskId, NotifyTaskVO leased) {}
