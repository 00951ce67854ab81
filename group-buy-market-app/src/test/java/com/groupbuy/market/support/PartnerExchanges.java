package com.groupbuy.market.support;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A test class's own MQ exchanges on the shared broker (partner isolation): the shared exchange ({@code
 * gbm_t_shared_<suffix>}), the internal one ({@code gbm_t_internal_<suffix>}) and one per isolated partner ({@code
 * <stem><suffix>}), named with one random suffix no other class or run uses; wired into the app with the MQ channel on
 * ({@link #register}, from the class's {@code @DynamicPropertySource}) and deleted after the class: registered as
 * {@code @RegisterExtension static final PartnerExchanges EXCHANGES = PartnerExchanges.isolating(...)}.
 *
 * @param suffix the random part of every name
 * @param isolated each isolated partner ({@code "source:channel"}) to its exchange's name
 */
public record PartnerExchanges(String suffix, Map<String, String> isolated) implements AfterAllCallback {

    /** The exchanges, isolating each partner ({@code "source:channel"}) of {@code stems} on {@code stem + suffix}. */
    public static PartnerExchanges isolating(Map<String, String> stems) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> isolated = new TreeMap<>();
        stems.forEach((partner, stem) -> isolated.put(partner, stem + suffix));
        return new PartnerExchanges(suffix, Map.copyOf(isolated));
    }

    public String shared() {
        return "gbm_t_shared_" + suffix;
    }

    public String internal() {
        return "gbm_t_internal_" + suffix;
    }

    /** The exchange of the isolated partner {@code "source:channel"}. */
    public String of(String partner) {
        String exchange = isolated.get(partner);
        if (exchange == null) {
            throw new IllegalArgumentException("partner " + partner + " is not isolated here: " + isolated.keySet());
        }
        return exchange;
    }

    /**
     * For a {@code @DynamicPropertySource}: the MQ channel on, publishing to the shared and internal exchanges and each
     * isolated partner to its own ({@code gbm.mq.partner-exchanges.[source].[channel]}).
     */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.mq.exchange", this::shared);
        registry.add("gbm.mq.internal-exchange", this::internal);
        isolated.forEach((partner, exchange) -> {
            String[] sourceChannel = partner.split(":", 2);
            registry.add(
                    "gbm.mq.partner-exchanges.[" + sourceChannel[0] + "].[" + sourceChannel[1] + "]", () -> exchange);
        });
    }

    /** After the class: deletes the shared, internal and isolated partners' exchanges from the broker. */
    @Override
    public void afterAll(ExtensionContext context) {
        MallQueues.onBroker(admin -> {
            admin.deleteExchange(shared());
            admin.deleteExchange(internal());
            isolated.values().forEach(admin::deleteExchange);
        });
    }
}
