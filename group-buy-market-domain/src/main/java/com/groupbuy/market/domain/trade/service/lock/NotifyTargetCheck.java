package com.groupbuy.market.domain.trade.service.lock;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.trade.adapter.port.INotifyHostCheck;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.net.NotifyUrlPolicy;

/**
 * Whether the callback target a lock asks for can be used now: MQ while this instance runs with MQ on (else
 * {@code E0203}), an HTTP URL whose host's addresses looked up now are public (else {@code E0204}). Its answer can
 * differ from the one the order was locked under (a restart with MQ off, a name server slow for a moment, a record
 * moved, our lookups busy), so the lock asks it of a new order only ({@link TradeLockService#lock}). The URL's form was
 * checked on the way in; the host is looked up here, after the rate guard, because it is network work.
 */
public class NotifyTargetCheck {

    static final String MQ_OFF = "notify type MQ is switched off here; use HTTP";

    private final NotifyRoutes routes;
    private final INotifyHostCheck hosts;

    public NotifyTargetCheck(NotifyRoutes routes, INotifyHostCheck hosts) {
        this.routes = routes;
        this.hosts = hosts;
    }

    /** Returns when a new order may be locked for this target; {@code E0203} or {@code E0204} otherwise. */
    public void admit(LockOrderCommand command) {
        if (NotifyTarget.MQ.equals(command.getNotifyType())) {
            if (!routes.mqEnabled()) {
                throw new AppException(ResponseCode.E0203, MQ_OFF);
            }
            return;
        }
        if (command.getNotifyUrl() == null) {
            return;
        }
        String refusal = hosts.refusal(
                NotifyUrlPolicy.hostOf(command.getNotifyUrl()), command.getSource(), command.getChannel());
        if (refusal != null) {
            throw new AppException(ResponseCode.E0204, refusal);
        }
    }
}
