package com.groupbuy.market.domain.trade.service.lock;

import com.groupbuy.market.domain.trade.adapter.port.INotifyHostCheck;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import java.util.Map;

/** Notify target checks for tests: MQ on or off, every host answered as the test's host check says. */
final class NotifyTargets {

    private NotifyTargets() {}

    /** MQ on, every host allowed. */
    static NotifyTargetCheck allowed() {
        return check(true, (host, source, channel) -> null);
    }

    static NotifyTargetCheck check(boolean mqEnabled, INotifyHostCheck hosts) {
        return new NotifyTargetCheck(new NotifyRoutes(mqEnabled, Map.of(), (source, channel) -> null), hosts);
    }
}
