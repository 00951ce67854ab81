package com.groupbuy.market.domain.trade.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which source + channel a partner may trade as: partner isolation rests on these exact comparisons. */
class SourceChannelPolicyTest {

    @Test
    void withNoListsEveryPairIsAdmitted() {
        SourceChannelPolicy policy = SourceChannelPolicy.of(Set.of(), Set.of());

        assertThat(policy.admits("s01", "c01")).isTrue();
    }

    @Test
    void aBlacklistedPairIsRefusedAndOnlyThatPair() {
        SourceChannelPolicy policy = SourceChannelPolicy.of(Set.of("s01:c01"), Set.of());

        assertThat(policy.admits("s01", "c01")).isFalse();
        assertThat(policy.admits("s01", "c02")).isTrue();
        assertThat(policy.admits("s02", "c01")).isTrue();
    }

    @Test
    void aNonEmptyAllowlistAdmitsOnlyItsEntries() {
        SourceChannelPolicy policy = SourceChannelPolicy.of(Set.of(), Set.of("s01:c01"));

        assertThat(policy.admits("s01", "c01")).isTrue();
        assertThat(policy.admits("s01", "c02")).isFalse();
        assertThat(policy.admits("s02", "c01")).isFalse();
    }

    @Test
    void theBlacklistWinsOverTheAllowlist() {
        SourceChannelPolicy policy = SourceChannelPolicy.of(Set.of("s01:c01"), Set.of("s01:c01", "s02:c02"));

        assertThat(policy.admits("s01", "c01")).isFalse();
        assertThat(policy.admits("s02", "c02")).isTrue();
    }

    /** Case and trailing spaces count: "S01" is another partner than "s01", and "s01 " is neither. */
    @Test
    void comparisonsAreExactInCaseAndSpaces() {
        SourceChannelPolicy allowed = SourceChannelPolicy.of(Set.of(), Set.of("s01:c01"));
        assertThat(allowed.admits("S01", "c01")).isFalse();
        assertThat(allowed.admits("s01", "C01")).isFalse();
        assertThat(allowed.admits("s01 ", "c01")).isFalse();
        assertThat(allowed.admits("s01", "c01 ")).isFalse();

        SourceChannelPolicy blocked = SourceChannelPolicy.of(Set.of("s01:c01"), Set.of());
        assertThat(blocked.admits("S01", "c01")).isTrue();
        assertThat(blocked.admits("s01", "c01 ")).isTrue();
    }

    /** A source holding ':' joins to text no single entry is, not to another partner's entry split elsewhere. */
    @Test
    void thePairIsSourceColonChannel() {
        assertThat(SourceChannelPolicy.admits(Set.of(), Set.of("s01:c01"), "s01", "c01"))
                .isTrue();
        assertThat(SourceChannelPolicy.admits(Set.of(), Set.of("s01:c01"), "s01:", "c01"))
                .isFalse();
        assertThat(SourceChannelPolicy.admits(Set.of(), Set.of("s01c01"), "s01", "c01"))
                .isFalse();
    }
}
