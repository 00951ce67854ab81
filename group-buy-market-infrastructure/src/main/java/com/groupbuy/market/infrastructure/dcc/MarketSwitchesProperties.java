package com.groupbuy.market.infrastructure.dcc;

import com.groupbuy.market.domain.activity.adapter.port.IMarketSwitches;
import com.groupbuy.market.domain.activity.model.valobj.MarketSwitchesVO;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The switches from configuration ({@code gbm.switch.degrade}, {@code gbm.switch.cut-range}); a runtime switch
 * store can replace this adapter later without touching the domain.
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.switch")
public class MarketSwitchesProperties implements IMarketSwitches {

    /** Turns group buying off: every trial answers E0003. */
    private boolean degrade = false;
    /** Percentage (0-100) of users admitted, by a stable hash of the user id; others get E0004. */
    private int cutRange = 100;

    @Override
    public MarketSwitchesVO current() {
        return new MarketSwitchesVO(degrade, cutRange);
    }
}
