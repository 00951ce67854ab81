package com.groupbuy.market.config;

import com.groupbuy.market.domain.trade.model.valobj.SourceChannelPolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Set;

/**
 * Which source + channel pairs may settle ({@code gbm.settlement.blacklist} / {@code .allowlist}, entries
 * "source:channel"; an empty allowlist admits every pair not blacklisted).
 */
@Configuration
public class SettlementConfig {

    @Bean
    public SourceChannelPolicy sourceChannelPolicy(@Value("${gbm.settlement.blacklist:}") Set<String> blacklist,
                                                   @Value("${gbm.settlement.allowlist:}") Set<String> allowlist) {
        return new SourceChannelPolicy(clean(blacklist), clean(allowlist));
    }

    /** "source:channel" entries as configured, blanks and surrounding spaces dropped. */
    static Set<String> clean(Set<String> entries) {
        return Set.copyOf(entries.stream().map(String::trim).filter(e -> !e.isEmpty()).toList());
    }
}
