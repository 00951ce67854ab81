package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.groupbuy.market.domain.switches.adapter.repository.ISwitchRepository;
import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.infrastructure.dcc.MarketSwitchesProperties;
import com.groupbuy.market.trigger.http.PartnerAddresses;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@code gbm.trade.partner-addresses} as the configuration gives it (comma-separated or a YAML list, bracketed ids),
 * the start refused for a bad entry, and prod's warning for pairs any caller can act as.
 */
class PartnerAddressesConfigTest {

    @Test
    void aCommaSeparatedValueAndAnIndexedListBothBindWithIdsAsWritten() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("gbm.trade.partner-addresses.[S01].[C01]", "10.0.0.0/8, ::1")
                .withProperty("gbm.trade.partner-addresses.s02.c02[0]", "192.0.2.1")
                .withProperty("gbm.trade.partner-addresses.s02.c02[1]", "2001:db8::/32");

        PartnerAddresses addresses = PartnerSignatureConfig.partnerAddresses(environment);

        assertThat(addresses.pairs()).containsExactlyInAnyOrder("S01:C01", "s02:c02");
        assertThat(addresses.admits("S01", "C01", "10.9.9.9")).isTrue();
        assertThat(addresses.admits("S01", "C01", "0:0:0:0:0:0:0:1")).isTrue();
        assertThat(addresses.admits("s02", "c02", "2001:db8::5")).isTrue();
        assertThat(addresses.admits("s02", "c02", "192.0.2.2")).isFalse();
    }

    @Test
    void aMalformedEntryOrAnEmptyPairRefusesTheStartNamingIt() {
        assertThatThrownBy(() -> PartnerSignatureConfig.partnerAddresses(
                        new MockEnvironment().withProperty("gbm.trade.partner-addresses.s01.c01", "10.0.0.1/8")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to start: gbm.trade.partner-addresses.s01.c01: '10.0.0.1/8' ");
        assertThatThrownBy(() -> PartnerSignatureConfig.partnerAddresses(
                        new MockEnvironment().withProperty("gbm.trade.partner-addresses.s01.c01", "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gbm.trade.partner-addresses.s01.c01 lists no address");
    }

    @Test
    void onProdEachPairWithASecretThatNeitherSignsNorIsBoundIsNamed() {
        NotifyProperties notify = secrets();
        MockEnvironment environment =
                new MockEnvironment().withProperty("gbm.trade.partner-addresses.s03.c03", "10.0.0.0/8");
        PartnerAddresses addresses = PartnerSignatureConfig.partnerAddresses(environment);

        assertThat(PartnerSignatureConfig.unauthenticatedPairs(environment, notify, addresses, Set.of("s02:c02")))
                .as("not prod")
                .isEmpty();
        environment.setActiveProfiles("prod");
        assertThat(PartnerSignatureConfig.unauthenticatedPairs(environment, notify, addresses, Set.of("s02:c02")))
                .singleElement()
                .asString()
                .startsWith("partner s01:c01 neither must sign")
                .endsWith("any caller that reaches the port can act as it");
        assertThat(PartnerSignatureConfig.unauthenticatedPairs(environment, notify, addresses, Set.of("*")))
                .isEmpty();
    }

    /**
     * The warning judges the switch in force at start, the stored {@code signatureRequiredFor} over the configured
     * default. Failed on main, which judged {@code gbm.trade.signature.required-for}: with {@code *} configured and the
     * stored switch emptied by an operator, no pair was named though none had to sign; with nothing configured and
     * {@code *} stored, every pair was named though each had to.
     */
    @Test
    void theWarningJudgesTheStoredSwitchInForceAtStart() {
        assertThat(warningsAtStart("*", "")).hasSize(3);
        assertThat(warningsAtStart("", "*")).isEmpty();
        assertThat(warningsAtStart("*", null)).isEmpty();
        assertThat(warningsAtStart("", "s01:c01,s02:c02"))
                .singleElement()
                .asString()
                .startsWith("partner s03:c03 neither must sign");
    }

    /** The prod warnings the policy bean logs, given the configured and the stored (null: none) switch value. */
    private static List<String> warningsAtStart(String configured, String stored) {
        MockEnvironment environment =
                new MockEnvironment().withProperty("gbm.trade.signature.required-for", configured);
        environment.setActiveProfiles("prod");
        LiveSwitchesVO defaults = new LiveSwitchConfig()
                .configuredSwitches(
                        new MarketSwitchesProperties(),
                        new RateLimitProperties(),
                        Set.of(),
                        Set.of(),
                        configured.isEmpty() ? Set.of() : Set.of(configured.split(",")));
        Map<SwitchName, String> storedValues =
                stored == null ? Map.of() : Map.of(SwitchName.SIGNATURE_REQUIRED_FOR, stored);
        LiveSwitchService switches = new LiveSwitchService(
                defaults,
                new ISwitchRepository() {
                    @Override
                    public Map<SwitchName, String> loadAll() {
                        return storedValues;
                    }

                    @Override
                    public SwitchChangeVO change(
                            SwitchName name, String unset, Function<String, SwitchChangeVO> change) {
                        return change.apply(unset);
                    }

                    @Override
                    public List<SwitchChangeVO> changes(int offset, int limit) {
                        return List.of();
                    }
                },
                name -> {},
                Clock.systemUTC());
        switches.reload();
        Logger logger = (Logger) LoggerFactory.getLogger(PartnerSignatureConfig.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            new PartnerSignatureConfig().partnerSignaturePolicy(secrets(), null, switches, environment);
        } finally {
            logger.detachAppender(logged);
        }
        return logged.list.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static NotifyProperties secrets() {
        NotifyProperties notify = new NotifyProperties();
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        secrets.put("s01", Map.of("c01", "x"));
        secrets.put("s02", Map.of("c02", "x"));
        secrets.put("s03", Map.of("c03", "x"));
        notify.setSecrets(secrets);
        return notify;
    }
}
