package com.groupbuy.market.types.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartnerTest {

    @Test
    void theSameIdsAreOnePartner() {
        assertThat(new Partner("s01", "c01")).isEqualTo(new Partner("s01", "c01"));
        assertThat(new Partner("s01", "c01")).hasSameHashCodeAs(new Partner("s01", "c01"));
    }

    @Test
    void caseCounts() {
        assertThat(new Partner("S01", "c01")).isNotEqualTo(new Partner("s01", "c01"));
        assertThat(new Partner("s01", "C01")).isNotEqualTo(new Partner("s01", "c01"));
    }

    @Test
    void trailingAndLeadingSpacesCount() {
        assertThat(new Partner("s01 ", "c01")).isNotEqualTo(new Partner("s01", "c01"));
        assertThat(new Partner("s01", " c01")).isNotEqualTo(new Partner("s01", "c01"));
    }

    @Test
    void aColonInsideAnIdNeverMakesTwoPartnersOne() {
        Partner left = new Partner("a:b", "c");
        Partner right = new Partner("a", "b:c");

        assertThat(left).isNotEqualTo(right);
        assertThat(left.toString()).isNotEqualTo(right.toString());
    }

    @Test
    void aSlashOrPercentInsideAnIdIsWrittenEscapedSoNoTwoPartnersReadTheSame() {
        Partner left = new Partner("a/b", "c");
        Partner right = new Partner("a", "b/c");

        assertThat(left).isNotEqualTo(right);
        assertThat(left).hasToString("a%2Fb/c");
        assertThat(right).hasToString("a/b%2Fc");
        assertThat(new Partner("a%2Fb", "c")).hasToString("a%252Fb/c");
    }

    @Test
    void plainIdsReadAsSourceSlashChannel() {
        assertThat(new Partner("s01", "c01")).hasToString("s01/c01");
        assertThat(new Partner("s01:x", "c01")).hasToString("s01:x/c01");
    }

    @Test
    void aMissingOrEmptyIdIsNoPartner() {
        assertThatThrownBy(() -> new Partner(null, "c01"))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("source");
        assertThatThrownBy(() -> new Partner("s01", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("channel");
        assertThatThrownBy(() -> new Partner("", "c01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source");
        assertThatThrownBy(() -> new Partner("s01", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idsNameAPartnerUnlessOneIsMissingOrEmpty() {
        assertThat(Partner.named("s01", "c01")).isEqualTo(new Partner("s01", "c01"));
        assertThat(Partner.named(" ", "c01")).isEqualTo(new Partner(" ", "c01"));
        assertThat(Partner.named("", "c01")).isNull();
        assertThat(Partner.named("s01", null)).isNull();
    }
}
