package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;

/** A paid member order of a team: its own partner and its trade number (the completion callbacks' read). */
@Data
public class PaidMemberPO {
    private String source;
    private String channel;
    private String outTradeNo;
}
