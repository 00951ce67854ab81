package com.groupbuy.market.domain.outbox.adapter.port;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Sends callbacks to partners and reports how each answered; never throws for a partner's failure. A send that throws
 * all the same (a component refusing one task's input, or a bug) is that task's failed attempt and no other's: callers
 * that send several tasks send each through {@link #sendContained}.
 */
public interface INotifyGateway {

    DeliveryResult groupBuyNotify(NotifyTaskVO task);

    /** {@link #groupBuyNotify}, a RuntimeException it throws being the task's failed attempt ({@link DeliveryResult#sendThrew}). */
    default DeliveryResult sendContained(NotifyTaskVO task) {
        long start = System.nanoTime();
        try {
            return groupBuyNotify(task);
        } catch (RuntimeException e) {
            return DeliveryResult.sendThrew(e, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Sends every task and returns their results in the same order; a failure fails only its own task. By default
     * one after the other; a channel that can have many sends in flight at once (MQ with publisher confirms) sends
     * them all before waiting for any answer.
     */
    default List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
        List<DeliveryResult> results = new ArrayList<>(tasks.size());
        for (NotifyTaskVO task : tasks) {
            results.add(sendContained(task));
        }
        return results;
    }

    /**
     * Sends tasks that are each their own call (HTTP), as many at once as the channel allows, and returns their results
     * in the same order. A task is sent only if {@code mayStart} still holds for it at the moment its send would start
     * (its lease leaves room for a whole send of its body); one that was not started gets a null result and was not
     * sent. By default one after the other on the calling thread.
     */
    default List<DeliveryResult> deliverEach(List<NotifyTaskVO> tasks, Predicate<NotifyTaskVO> mayStart) {
        List<DeliveryResult> results = new ArrayList<>(tasks.size());
        for (NotifyTaskVO task : tasks) {
            results.add(mayStart.test(task) ? sendContained(task) : null);
        }
        return results;
    }
}
