package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.trade.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;

/**
 * The one delivery port over two adapters, chosen by the task's notify type: MQ tasks are published, the rest posted
 * over HTTP. Lease, attempts, backoff and re-drive stay in the delivery service, the same for both. With MQ switched
 * off an MQ task is a failed attempt that says so, and waits in the outbox on the usual backoff.
 */
public class NotifyChannelRouter implements INotifyGateway {

    private final INotifyGateway http;
    private final INotifyGateway mq;

    /** {@code mq} null when the MQ channel is switched off. */
    public NotifyChannelRouter(INotifyGateway http, INotifyGateway mq) {
        this.http = http;
        this.mq = mq;
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        if (!NotifyTarget.MQ.equals(task.getNotifyType())) {
            return http.groupBuyNotify(task);
        }
        if (mq == null) {
            return new DeliveryResult(false, null, 0, "MQ channel switched off (gbm.mq.enabled=false)");
        }
        return mq.groupBuyNotify(task);
    }
}
