package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.trade.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.trade.service.notify.SettlementNotifyService;
import lombok.extern.slf4j.Slf4j;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers a just-committed task on a bounded pool so the settlement answer never waits for the partner. When the
 * pool is full the hand-off is dropped on purpose: the task is already in the outbox and the compensation job will
 * deliver it.
 */
@Slf4j
public class NotifyDispatcher implements INotifyDispatcher {

    private final ExecutorService executor;
    private final SettlementNotifyService notifyService;

    public NotifyDispatcher(ExecutorService executor, SettlementNotifyService notifyService) {
        this.executor = executor;
        this.notifyService = notifyService;
    }

    @Override
    public void dispatchAsync(long taskId) {
        try {
            executor.execute(() -> {
                try {
                    notifyService.deliver(taskId);
                } catch (RuntimeException e) {
                    log.warn("notify task={} immediate delivery failed; the job will retry it", taskId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.info("notify task={} left to the compensation job (dispatch pool full)", taskId);
        }
    }
}
