package com.groupbuy.market.infrastructure.switches.po;

import java.time.Instant;
import lombok.Data;

/** A row of dcc_switch_change. */
@Data
public class SwitchChangePO {
    private Long id;
    private String name;
    private String oldValue;
    private String newValue;
    private String changedBy;
    private String remoteAddress;
    private Instant changedAt;
}
