package com.groupbuy.market.domain.switches.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.AppException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** #17: each switch takes only values of its rule, in one canonical form. */
class SwitchNameTest {

    @Test
    void valuesAreCheckedAndCanonical() {
        assertThat(SwitchName.DEGRADE.check(" true ")).isEqualTo("true");
        assertThat(SwitchName.CUT_RANGE.check("007")).isEqualTo("7");
        assertThat(SwitchName.SETTLEMENT_BLACKLIST.check(" s02:c02 , s01:c01,s01:c01,"))
                .isEqualTo("s01:c01,s02:c02");
        assertThat(SwitchName.SIGNATURE_REQUIRED_FOR.check("*")).isEqualTo("*");
        assertThat(SwitchName.RATE_LIMIT_PAIRS.check("s02:c02=5, s01:c01=20")).isEqualTo("s01:c01=20,s02:c02=5");
        assertThat(SwitchName.RATE_LIMIT_USER.check("0")).isEqualTo("0");
    }

    @Test
    void valuesOutsideTheRuleAre0002() {
        for (String[] bad : new String[][] {
            {"degrade", "yes"},
            {"cutRange", "101"},
            {"cutRange", "-1"},
            {"settlementBlacklist", "s01"},
            {"settlementBlacklist", "*"},
            {"settlementBlacklist", "a:b:c"},
            {"rateLimitPairs", "s01:c01"},
            {"rateLimitPairs", "s01:c01=x"},
            {"rateLimitUser", "1.5"},
            {"rateLimitPairDefault", "1000001"}
        }) {
            assertThatThrownBy(() -> SwitchName.of(bad[0]).check(bad[1]))
                    .as(bad[0] + "=" + bad[1])
                    .isInstanceOf(AppException.class)
                    .extracting("code")
                    .isEqualTo("0002");
        }
        assertThatThrownBy(() -> SwitchName.of("nope"))
                .isInstanceOf(AppException.class)
                .hasMessageContaining("degrade, cutRange");
    }

    @Test
    void aPairsOwnLimitWinsOverTheDefault() {
        Map<SwitchName, String> values = SwitchValues.unset();
        values.put(SwitchName.RATE_LIMIT_PAIR_DEFAULT, "50");
        values.put(SwitchName.RATE_LIMIT_PAIRS, "s01:c01=20,s01:c011=0");
        LiveSwitchesVO switches = LiveSwitchesVO.of(values);

        assertThat(switches.pairRate("s01", "c01")).isEqualTo(20);
        assertThat(switches.pairRate("s01", "c011")).isZero();
        assertThat(switches.pairRate("s02", "c02")).isEqualTo(50);
        LiveSwitchesVO changed =
                switches.overlay(Map.of(SwitchName.DEGRADE, "true", SwitchName.CUT_RANGE, "bad"), (name, e) -> {});
        assertThat(changed.degrade()).isTrue();
        assertThat(changed.cutRange())
                .as("a stored value the rule refuses keeps the default")
                .isEqualTo(100);
    }

    /**
     * The pair lists match {@code source + ":" + channel} against their entries, which is one partner only because an
     * entry holds exactly one ':' (a second is refused when the value is set or loaded). Ids may hold ':', so
     * {@code a:b:c} would name both {@code a:b} / {@code c} and {@code a} / {@code b:c}: it is refused in every list
     * (so no entry names either of them: a list cannot name them at all, see docs/operations.md). Pins the rule the
     * lists' matching relies on.
     */
    @Test
    void noPairListEntryNamesTwoPartners() {
        for (SwitchName list : new SwitchName[] {
            SwitchName.SETTLEMENT_BLACKLIST,
            SwitchName.SETTLEMENT_ALLOWLIST,
            SwitchName.SIGNATURE_REQUIRED_FOR,
            SwitchName.RATE_LIMIT_PAIRS
        }) {
            String entry = list == SwitchName.RATE_LIMIT_PAIRS ? "a:b:c=5" : "a:b:c";
            assertThatThrownBy(() -> list.check(entry))
                    .as(list.key())
                    .isInstanceOf(AppException.class)
                    .hasMessageContaining("source:channel");
        }
    }
}
