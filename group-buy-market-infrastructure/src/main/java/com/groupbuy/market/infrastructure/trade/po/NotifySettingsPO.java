package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;

/** The notify settings a lock gave a team ({@code notify_type}, {@code notify_url}). */
@Data
public class NotifySettingsPO {
    private String notifyType;
    private String notifyUrl;
}
