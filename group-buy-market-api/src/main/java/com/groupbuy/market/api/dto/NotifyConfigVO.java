package com.groupbuy.market.api.dto;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** How the partner wants to hear about the team's outcome: {@code notifyType} "HTTP" (with a URL) or "MQ". */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class NotifyConfigVO {

    private String notifyType;
    private String notifyUrl;
    private String notifyMQ;
}
