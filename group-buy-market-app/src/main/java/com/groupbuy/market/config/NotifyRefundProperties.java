package com.groupbuy.market.config;

import java.util.LinkedHashMap;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Refund URLs HTTP partners subscribed ({@code gbm.notify.refund-urls.<source>.<channel>}). A partner without one gets
 * no HTTP refund callback: its team-success URL only understands team completion.
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.notify")
public class NotifyRefundProperties {

    private Map<String, Map<String, String>> refundUrls = new LinkedHashMap<>();

    public String refundUrlOf(String source, String channel) {
        Map<String, String> bySource = refundUrls.get(source);
        return bySource == null ? null : bySource.get(channel);
    }
}
