package com.groupbuy.market.infrastructure.switches.po;

import lombok.Data;

/** A row of dcc_switch. */
@Data
public class SwitchValuePO {
    private String name;
    private String value;
}
