package com.groupbuy.market.infrastructure.dcc;

import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The switches' configured values ({@code gbm.switch.degrade}, {@code gbm.switch.cut-range}): the defaults the live
 * switches (#17, stored in the database and changed through the admin API) start from and fall back to.
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.switch")
public class MarketSwitchesProperties {

    /** Turns group buying off: every trial answers E0003. */
    private boolean degrade = false;
    /** Percentage (0-100) of users admitted, by a stable hash of the user id; others get E0004. */
    private int cutRange = 100;
    /** How often each instance reads the stored switches again, in case it missed a change message. */
    private java.time.Duration reloadInterval = java.time.Duration.ofSeconds(30);
}
