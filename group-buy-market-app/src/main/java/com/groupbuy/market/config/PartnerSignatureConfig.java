package com.groupbuy.market.config;

import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.infrastructure.redis.FirstUseMarks;
import com.groupbuy.market.trigger.http.PartnerAddresses;
import com.groupbuy.market.trigger.http.PartnerSignaturePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import lombok.extern.slf4j.Slf4j;
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
        // The switch in force at start: LiveSwitchService read the stored value (an operator's change through the
        // admin API) over the configured default when it was made, before this bean.
        unauthenticatedPairs(
                        environment,
                        notifyProperties,
                        addresses,
                        switches.current().signatureRequiredFor())
                .forEach(log::warn);
        return new PartnerSignaturePolicy(
                () -> switches.current().signatureRequiredFor(),
                notifyProperties::secretOf,
                (source, channel, webhookId, window) ->
                        marks.markFirstUse(window, "webhook-id", source, channel, webhookId),
                addresses);
    }

    /** {@code gbm.trade.partner-addresses}, parsed; the start is refused for a malformed entry or an empty pair. */
    static PartnerAddresses partnerAddresses(Environment environment) {
        return PartnerKeyedSettingsGuard.parseLists(environment, ADDRESSES, PartnerAddresses::parse);
    }

    /**
     * On prod, one warning per pair with a callback secret that neither must sign ({@code required}: the live switch
     * {@code signatureRequiredFor} in force at start, the stored value over {@code gbm.trade.signature.required-for})
     * nor is bound to addresses: any caller that reaches the port can act as it. Not a refusal: deployments running so
     * keep starting. It judged the configured {@code required-for}, so a pair an operator had stopped requiring
     * through the admin API was not named, and one the stored switch required was. A change after the start is not
     * judged again (the switch's own audit row and WARN record it).
     */
    static List<String> unauthenticatedPairs(
            Environment environment,
            NotifyProperties notifyProperties,
            PartnerAddresses addresses,
            Set<String> required) {
        List<String> warnings = new ArrayList<>();
        if (!environment.acceptsProfiles(Profiles.of("prod"))) {
            return warnings;
        }
        notifyProperties
                .getSecrets()
                .forEach((source, byChannel) -> byChannel.keySet().forEach(channel -> {
                    String pair = source + ":" + channel;
                    if (!PartnerSignaturePolicy.requires(required, source, channel)
                            && !addresses.bound(source, channel)) {
                        warnings.add("partner " + pair
                                + " neither must sign (live switch signatureRequiredFor, default "
                                + "gbm.trade.signature.required-for) nor is bound to addresses (" + ADDRESSES + "."
                                + source + "." + channel + "): any caller that reaches the port can act as it");
                    }
                }));
        return warnings;
    }
}
