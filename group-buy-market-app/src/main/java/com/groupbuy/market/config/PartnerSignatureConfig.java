package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.redis.FirstUseMarks;
import com.groupbuy.market.trigger.http.PartnerSignaturePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Set;

/**
 * Signature check on the trade endpoints ({@code gbm.trade.signature.required-for}: {@code source:channel} entries,
 * or {@code *}); secrets are the callback secrets {@code gbm.notify.secrets.<source>.<channel>}; the ids of signed
 * requests are remembered in Redis under {@code <prefix>webhook-id:<source>:<channel>:<id>}.
 */
@Configuration
public class PartnerSignatureConfig {

    @Bean
    public PartnerSignaturePolicy partnerSignaturePolicy(
            NotifyProperties notifyProperties, FirstUseMarks marks,
            @Value("${gbm.trade.signature.required-for:}") Set<String> requiredFor) {
        return new PartnerSignaturePolicy(SettlementConfig.clean(requiredFor), notifyProperties::secretOf,
                (source, channel, webhookId, window) -> marks.markFirstUse(window, "webhook-id", source, channel,
                        webhookId));
    }
}
