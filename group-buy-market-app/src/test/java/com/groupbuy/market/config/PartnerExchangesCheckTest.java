package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An isolated MQ partner's exchange ({@code gbm.mq.partner-exchanges.[source].[channel]}) must be its own: a name that
 * would put its messages where another partner (or our own consumer) reads refuses the start, naming the key.
 */
class PartnerExchangesCheckTest {

    @Test
    void eachIsolatedPartnerHasAnExchangeOfItsOwn() {
        assertThatCode(() -> MqConfig.checkPartnerExchanges(
                        mq(Map.of("s01", Map.of("c01", "gbm_mall_s01", "c02", "gbm_mall_s01_c02")))))
                .doesNotThrowAnyException();
        assertThatCode(() -> MqConfig.checkPartnerExchanges(new MqProperties())).doesNotThrowAnyException();
    }

    @Test
    void theSharedOrInternalExchangeABrokerNameOrNoNameRefusesTheStart() {
        assertThatThrownBy(() ->
                        MqConfig.checkPartnerExchanges(mq(Map.of("s01", Map.of("c01", "group_buy_market_exchange")))))
                .hasMessageContaining("gbm.mq.partner-exchanges.[s01].[c01] = 'group_buy_market_exchange' is the "
                        + "shared exchange");
        assertThatThrownBy(() -> MqConfig.checkPartnerExchanges(
                        mq(Map.of("s01", Map.of("c01", "group_buy_market_internal_exchange")))))
                .hasMessageContaining("is our internal exchange");
        assertThatThrownBy(() -> MqConfig.checkPartnerExchanges(mq(Map.of("s01", Map.of("c01", "amq.topic")))))
                .hasMessageContaining("reserves");
        assertThatThrownBy(() -> MqConfig.checkPartnerExchanges(mq(Map.of("s01", Map.of("c01", " ")))))
                .hasMessageContaining("[s01].[c01] = ' ' is empty");
    }

    /** AMQP names are 255 bytes of UTF-8: 86 CJK characters are 258 bytes, which the broker can never take. */
    @Test
    void aNameLongerThan255BytesRefusesTheStartHoweverFewItsCharacters() {
        assertThatThrownBy(() -> MqConfig.checkPartnerExchanges(mq(Map.of("s01", Map.of("c01", "\u5546".repeat(86))))))
                .hasMessageContaining("[s01].[c01]")
                .hasMessageContaining("longer than 255 bytes");
        assertThatCode(() -> MqConfig.checkPartnerExchanges(mq(Map.of("s01", Map.of("c01", "\u5546".repeat(85))))))
                .doesNotThrowAnyException();
    }

    @Test
    void twoPartnersOnOneExchangeRefuseTheStart() {
        Map<String, Map<String, String>> byPartner = new LinkedHashMap<>();
        byPartner.put("S01", Map.of("c01", "gbm_mall"));
        byPartner.put("s01", Map.of("c01", "gbm_mall"));
        assertThatThrownBy(() -> MqConfig.checkPartnerExchanges(mq(byPartner)))
                .hasMessageContaining("gbm.mq.partner-exchanges.[s01].[c01] = 'gbm_mall' is also partner 'S01:c01'");
    }

    private static MqProperties mq(Map<String, Map<String, String>> partnerExchanges) {
        MqProperties mq = new MqProperties();
        mq.setPartnerExchanges(new LinkedHashMap<>(partnerExchanges));
        return mq;
    }
}
