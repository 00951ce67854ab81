package com.groupbuy.market.domain.activity.adapter.port;

import com.groupbuy.market.domain.activity.model.valobj.MarketSwitchesVO;

/** Where the operational switches come from (configuration today, a runtime switch store later). */
public interface IMarketSwitches {

    MarketSwitchesVO current();
}
