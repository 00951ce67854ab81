package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyUrlHost;
import okhttp3.HttpUrl;
import org.springframework.stereotype.Component;

/**
 * The host of a callback URL as {@link GroupBuyNotifyService} sends to it: OkHttp's parse of the stored text. Parsed
 * apart from {@link NotifyUrls}' cache, as {@link NotifyUrls#sendable} is: "deliver now" reads every waiting task's URL,
 * and those would push the few URLs deliveries use out of it.
 */
@Component
public class NotifyUrlHost implements INotifyUrlHost {

    @Override
    public String hostOf(String url) {
        try {
            HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
            return parsed == null ? null : parsed.host();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
