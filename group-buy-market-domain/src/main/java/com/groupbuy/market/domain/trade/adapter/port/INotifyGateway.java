package com.groupbuy.market.domain.trade.adapter.port;

import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;

/** Sends one callback to the partner and reports how it answered; never throws for a partner's failure. */
public interface INotifyGateway {

    DeliveryResult groupBuyNotify(NotifyTaskVO task);
}
