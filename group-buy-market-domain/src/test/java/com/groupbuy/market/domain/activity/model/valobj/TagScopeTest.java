package com.groupbuy.market.domain.activity.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stored audience scope list read into what a tag withholds from non-members. */
class TagScopeTest {

    @Test
    void eachKnownEntryOfTheListIsReadSpacesAroundItIgnored() {
        assertThat(TagScope.parse("1")).containsExactly(TagScope.VISIBLE);
        assertThat(TagScope.parse(" 2 ")).containsExactly(TagScope.ENABLE);
        assertThat(TagScope.parse("1,2")).containsExactly(TagScope.VISIBLE, TagScope.ENABLE);
        assertThat(TagScope.parse("2, 1,,")).containsExactly(TagScope.VISIBLE, TagScope.ENABLE);
    }

    @Test
    void noListOrOnlyUnknownEntriesRestrictNothing() {
        assertThat(TagScope.parse(null)).isEmpty();
        assertThat(TagScope.parse("")).isEmpty();
        assertThat(TagScope.parse("3,12")).isEmpty();
        assertThat(TagScope.parse("3,2")).containsExactly(TagScope.ENABLE);
    }
}
