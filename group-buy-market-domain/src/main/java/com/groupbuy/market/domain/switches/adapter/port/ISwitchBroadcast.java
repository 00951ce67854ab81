package com.groupbuy.market.domain.switches.adapter.port;

/** Tells every running instance (this one included) that the stored switches changed, so each reloads them. */
public interface ISwitchBroadcast {

    void changed(String switchName);
}
