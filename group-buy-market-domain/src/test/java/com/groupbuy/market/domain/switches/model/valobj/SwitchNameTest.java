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

    /**
     * Each rule's edge is inside it: the longest value, the widest number, the largest percent and rate, the longest
     * source and channel, every digit and printable character. Found by mutation testing: each bound moved by one
     * survived.
     */
    @Test
    void eachRulesEdgeIsAValueItTakes() {
        assertThat(SwitchName.DEGRADE.check(" ".repeat(4000 - 4) + "true")).isEqualTo("true");
        assertThat(SwitchName.CUT_RANGE.check("0")).isEqualTo("0");
        assertThat(SwitchName.CUT_RANGE.check("100")).isEqualTo("100");
        assertThat(SwitchName.CUT_RANGE.check("000000099")).as("nine digits").isEqualTo("99");
        assertThat(SwitchName.RATE_LIMIT_USER.check("9")).isEqualTo("9");
        assertThat(SwitchName.RATE_LIMIT_USER.check("1000000")).isEqualTo("1000000");
        String sixteen = "s234567890123456";
        assertThat(SwitchName.SETTLEMENT_ALLOWLIST.check(sixteen + ":" + sixteen))
                .isEqualTo(sixteen + ":" + sixteen);
        assertThat(SwitchName.SETTLEMENT_ALLOWLIST.check("!:~"))
                .as("the printable ends")
                .isEqualTo("!:~");
    }

    /**
     * One beyond each rule's edge is 0002 naming the rule ({@code *} named only where a list takes it). Found by
     * mutation testing: each bound moved by one, any character taken, or the {@code *} left out of the rule survived.
     */
    @Test
    void oneBeyondEachRulesEdgeIs0002NamingTheRule() {
        String seventeen = "s2345678901234567";
        for (Object[] bad : new Object[][] {
            {SwitchName.DEGRADE, " ".repeat(4000 - 3) + "true"},
            {SwitchName.CUT_RANGE, "0000000099"},
            {SwitchName.SETTLEMENT_BLACKLIST, ":c01"},
            {SwitchName.SETTLEMENT_BLACKLIST, "s01:"},
            {SwitchName.SETTLEMENT_BLACKLIST, seventeen + ":c01"},
            {SwitchName.SETTLEMENT_BLACKLIST, "s01:" + seventeen},
            {SwitchName.SETTLEMENT_BLACKLIST, "s 1:c01"},
            {SwitchName.SETTLEMENT_BLACKLIST, "s01:c0\u007f"},
            {SwitchName.SETTLEMENT_BLACKLIST, "s01:c\u00e9"}
        }) {
            assertThatThrownBy(() -> ((SwitchName) bad[0]).check((String) bad[1]))
                    .as(bad[0] + "=" + bad[1])
                    .isInstanceOf(AppException.class)
                    .extracting("code")
                    .isEqualTo("0002");
        }
        assertThatThrownBy(() -> SwitchName.SETTLEMENT_BLACKLIST.check("s01"))
                .hasMessageEndingWith("must be source:channel entries, comma separated");
        assertThatThrownBy(() -> SwitchName.SIGNATURE_REQUIRED_FOR.check("s01"))
                .hasMessageEndingWith("must be source:channel entries, comma separated, or *");
    }

    /**
     * What the admin API lists: every switch by its name, in declaration order, with its value; and the lists as sets.
     * Found by mutation testing: an empty listing, and the allowlist and signature list read as empty, survived.
     */
    @Test
    void theSwitchesAreListedByNameInOrderAndTheListsReadAsSets() {
        Map<SwitchName, String> values = SwitchValues.unset();
        values.put(SwitchName.SETTLEMENT_ALLOWLIST, "s02:c02,s01:c01");
        values.put(SwitchName.SIGNATURE_REQUIRED_FOR, "*");
        LiveSwitchesVO switches = LiveSwitchesVO.of(values);

        assertThat(switches.asMap())
                .containsExactly(
                        Map.entry("degrade", "false"),
                        Map.entry("cutRange", "100"),
                        Map.entry("settlementBlacklist", ""),
                        Map.entry("settlementAllowlist", "s01:c01,s02:c02"),
                        Map.entry("signatureRequiredFor", "*"),
                        Map.entry("rateLimitPairDefault", "0"),
                        Map.entry("rateLimitPairs", ""),
                        Map.entry("rateLimitUser", "0"));
        assertThat(switches.value(SwitchName.CUT_RANGE)).isEqualTo("100");
        assertThat(switches.settlementAllowlist()).containsExactlyInAnyOrder("s01:c01", "s02:c02");
        assertThat(switches.signatureRequiredFor()).containsExactly("*");
        assertThat(switches.settlementBlacklist()).isEmpty();
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
