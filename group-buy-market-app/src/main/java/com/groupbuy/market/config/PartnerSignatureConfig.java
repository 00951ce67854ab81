package com.groupbuy.market.config;

import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.infrastructure.redis.FirstUseMarks;
import com.groupbuy.market.trigger.http.PartnerSignaturePolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Signature check on the trade endpoints: which pairs must sign is the live switch {@code signatureRequiredFor}
 * (#17; configured default {@code gbm.trade.signature.required-for}: {@code source:channel} entries, or {@code *});
 * secrets are the callback secrets {@code gbm.notify.secrets.<source>.<channel>}; the ids of signed requests are
 * remembered in Redis under {@code <prefix>webhook-id:<source>:<channel>:<id>}.
 */
@Configuration
public class PartnerSignatureConfig {

    @Bean
    public PartnerSignaturePolicy partnerSignaturePolicy(
            NotifyProperties notifyProperties, FirstUseMarks marks, LiveSwitchService switches) {
        return new PartnerSignaturePolicy(
                () -> switches.current().signatureRequiredFor(),
                notifyProperties::secretOf,
                (source, channel, webhookId, window) ->
                        marks.markFirstUse(window, "webhook-id", source, channel, webhookId));
    }
}
