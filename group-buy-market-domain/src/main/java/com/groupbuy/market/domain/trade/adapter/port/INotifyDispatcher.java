package com.groupbuy.market.domain.trade.adapter.port;

/**
 * Hands committed tasks to delivery without making the caller wait for the partner. Call it only after the
 * transaction that wrote the task has committed; if the hand-off is lost, the compensation job still delivers.
 */
public interface INotifyDispatcher {

    void dispatchAsync(long taskId);
}
