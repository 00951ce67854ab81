package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.trade.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one delivery port over two adapters, chosen by the task's notify type: MQ tasks are published, the rest posted
 * over HTTP. Lease, attempts, backoff and re-drive stay in the delivery service, the same for both. With MQ switched
 * off an MQ task is a failed attempt that says so, and waits in the outbox on the usual backoff.
 */
public class NotifyChannelRouter implements INotifyGateway {

    private static final String MQ_OFF = "MQ channel switched off (gbm.mq.enabled=false)";

    private final INotifyGateway http;
    private final INotifyGateway mq;

    /** {@code mq} null when the MQ channel is switched off. */
    public NotifyChannelRouter(INotifyGateway http, INotifyGateway mq) {
        this.http = http;
        this.mq = mq;
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        if (!task.isMq()) {
            return http.groupBuyNotify(task);
        }
        if (mq == null) {
            return new DeliveryResult(false, null, 0, MQ_OFF);
        }
        return mq.groupBuyNotify(task);
    }

    /** Each adapter gets its own tasks as one batch; the results go back in the order the tasks came. */
    @Override
    public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
        List<Integer> mqAt = new ArrayList<>();
        List<Integer> httpAt = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            (tasks.get(i).isMq() ? mqAt : httpAt).add(i);
        }
        DeliveryResult[] results = new DeliveryResult[tasks.size()];
        place(results, httpAt, httpAt.isEmpty() ? List.of() : http.deliverAll(pick(tasks, httpAt)));
        if (mq == null) {
            mqAt.forEach(i -> results[i] = new DeliveryResult(false, null, 0, MQ_OFF));
        } else {
            place(results, mqAt, mqAt.isEmpty() ? List.of() : mq.deliverAll(pick(tasks, mqAt)));
        }
        return Arrays.asList(results);
    }

    private static List<NotifyTaskVO> pick(List<NotifyTaskVO> tasks, List<Integer> at) {
        return at.stream().map(tasks::get).toList();
    }

    private static void place(DeliveryResult[] results, List<Integer> at, List<DeliveryResult> answers) {
        for (int i = 0; i < at.size(); i++) {
            results[at.get(i)] = answers.get(i);
        }
    }
}
