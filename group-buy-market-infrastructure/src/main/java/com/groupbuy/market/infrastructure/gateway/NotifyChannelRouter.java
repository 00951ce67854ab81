package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one delivery port over two adapters, chosen by the task's notify type: MQ tasks are published, the rest posted
 * over HTTP. Lease, attempts, backoff and re-drive stay in the delivery service, the same for both. With MQ switched
 * off an MQ task is a failed attempt that says so, and waits in the outbox on the usual backoff. Our own delayed close
 * checks ({@code DELAY}, #15) go to their delay queue and nowhere else.
 */
public class NotifyChannelRouter implements INotifyGateway {

    private static final String MQ_OFF = "MQ channel switched off (gbm.mq.enabled=false)";

    private final INotifyGateway http;
    private final INotifyGateway mq;
    private final INotifyGateway closeChecks;

    /** {@code mq} null when the MQ channel is switched off. */
    public NotifyChannelRouter(INotifyGateway http, INotifyGateway mq) {
        this(http, mq, null);
    }

    /** {@code closeChecks} null when the delay path is off. */
    public NotifyChannelRouter(INotifyGateway http, INotifyGateway mq, INotifyGateway closeChecks) {
        this.http = http;
        this.mq = mq;
        this.closeChecks = closeChecks;
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        if (NotifyTarget.DELAY.equals(task.getNotifyType())) {
            return closeChecks == null
                    ? new DeliveryResult(false, null, 0, "close checks switched off; the polling job closes on time")
                    : closeChecks.groupBuyNotify(task);
        }
        if (!task.isMq()) {
            return http.groupBuyNotify(task);
        }
        if (mq == null) {
            return new DeliveryResult(false, null, 0, MQ_OFF);
        }
        return mq.groupBuyNotify(task);
    }

    /**
     * The MQ tasks go to the broker as one batch, the close checks as another (#15: one confirm wait for all); HTTP
     * callbacks are routed one by one as {@link #groupBuyNotify} would. The results go back in the order the tasks
     * came.
     */
    @Override
    public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
        List<Integer> mqAt = new ArrayList<>();
        List<Integer> checksAt = new ArrayList<>();
        DeliveryResult[] results = new DeliveryResult[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).isMq()) {
                mqAt.add(i);
            } else if (closeChecks != null
                    && NotifyTarget.DELAY.equals(tasks.get(i).getNotifyType())) {
                checksAt.add(i);
            } else {
                results[i] = sendContained(tasks.get(i));
            }
        }
        if (!checksAt.isEmpty()) {
            List<DeliveryResult> answers =
                    closeChecks.deliverAll(checksAt.stream().map(tasks::get).toList());
            for (int i = 0; i < checksAt.size(); i++) {
                results[checksAt.get(i)] = answers.get(i);
            }
        }
        if (mq == null) {
            mqAt.forEach(i -> results[i] = new DeliveryResult(false, null, 0, MQ_OFF));
        } else if (!mqAt.isEmpty()) {
            List<DeliveryResult> answers =
                    mq.deliverAll(mqAt.stream().map(tasks::get).toList());
            for (int i = 0; i < mqAt.size(); i++) {
                results[mqAt.get(i)] = answers.get(i);
            }
        }
        return Arrays.asList(results);
    }

    /** HTTP callbacks go to the HTTP channel together (it may have several in flight, #19); anything else one by one. */
    @Override
    public List<DeliveryResult> deliverEach(List<NotifyTaskVO> tasks, Predicate<NotifyTaskVO> mayStart) {
        boolean allHttp = tasks.stream().allMatch(t -> !t.isMq() && !NotifyTarget.DELAY.equals(t.getNotifyType()));
        return allHttp ? http.deliverEach(tasks, mayStart) : INotifyGateway.super.deliverEach(tasks, mayStart);
    }
}
