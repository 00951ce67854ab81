package com.groupbuy.market.config;

import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.infrastructure.redis.FirstUseMarks;
import com.groupbuy.market.trigger.http.PartnerAddresses;
import com.groupbuy.market.trigger.http.PartnerSignaturePolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Signature check on the trade endpoints: which pairs must sign is the live switch {@code signatureRequiredFor}
 * (#17; configured default {@code gbm.trade.signature.required-for}: {@code source:channel} entries, or {@code *});
 * secrets are the callback secrets {@code gbm.notify.secrets.<source>.<channel>}; the ids of signed requests are
 * remembered in Redis under {@code <prefix>webhook-id:<source>:<channel>:<id>}. Pairs that cannot sign are bound to
 * where they call from by {@code gbm.trade.partner-addresses.<source>.<channel>} (addresses and CIDR blocks); a
 * malformed entry or a pair listing none refuses the start.
 */
@Slf4j
@Configuration
public class PartnerSignatureConfig {

    static final String ADDRESSES = "gbm.trade.partner-addresses";

    @Bean
    public PartnerSignaturePolicy partnerSignaturePolicy(
            NotifyProperties notifyProperties,
            FirstUseMarks marks,
            LiveSwitchService switches,
            Environment environment) {
        PartnerAddresses addresses = partnerAddresses(environment);
        unauthenticatedPairs(environment, notifyProperties, addresses).forEach(log::warn);
        return new PartnerSignaturePolicy(
                () -> switches.current().signatureRequiredFor(),
                notifyProperties::secretOf,
                (source, channel, webhookId, window) ->
                        marks.markFirstUse(window, "webhook-id", source, channel, webhookId),
                addresses);
    }

    /** {@code gbm.trade.partner-addresses}, parsed; the start is refused for a malformed entry or an empty pair. */
    static PartnerAddresses partnerAddresses(Environment environment) {
        try {
            return PartnerAddresses.parse(Binder.get(environment)
                    .bind(ADDRESSES, PartnerKeyedSettingsGuard.LISTS_BY_SOURCE_THEN_CHANNEL)
                    .orElse(Map.of()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("refusing to start: " + e.getMessage(), e);
        }
    }

    /**
     * On prod, one warning per pair with a callback secret that neither must sign (configured
     * {@code gbm.trade.signature.required-for}) nor is bound to addresses: any caller that reaches the port can act as
     * it. Not a refusal: deployments running so keep starting.
     */
    static List<String> unauthenticatedPairs(
            Environment environment, NotifyProperties notifyProperties, PartnerAddresses addresses) {
        List<String> warnings = new ArrayList<>();
        if (!environment.acceptsProfiles(Profiles.of("prod"))) {
            return warnings;
        }
        Set<String> required = Arrays.stream(environment
                        .getProperty("gbm.trade.signature.required-for", "")
                        .split(","))
                .map(String::trim)
                .collect(Collectors.toSet());
        notifyProperties
                .getSecrets()
                .forEach((source, byChannel) -> byChannel.keySet().forEach(channel -> {
                    String pair = source + ":" + channel;
                    if (!PartnerSignaturePolicy.requires(required, source, channel)
                            && !addresses.bound(source, channel)) {
                        warnings.add("partner " + pair
                                + " neither must sign (gbm.trade.signature.required-for) nor is bound to "
                                + "addresses (" + ADDRESSES + "." + source + "." + channel
                                + "): any caller that reaches the "
                                + "port can act as it");
                    }
                }));
        return warnings;
    }
}
