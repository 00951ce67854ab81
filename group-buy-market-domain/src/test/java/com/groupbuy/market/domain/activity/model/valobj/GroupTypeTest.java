package com.groupbuy.market.domain.activity.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stored group type: both known codes, and every other one unknown (stored, not read, so nothing else to say). */
class GroupTypeTest {

    @Test
    void eachKnownCodeNamesItsType() {
        assertThat(GroupType.fromCode(0)).isEqualTo(GroupType.FORMS_WHEN_DUE);
        assertThat(GroupType.fromCode(1)).isEqualTo(GroupType.FORMS_AT_TARGET);
    }

    @Test
    void everyOtherStoredCodeIsUnknown() {
        for (int code : new int[] {-128, -1, 2, 7, 127}) {
            assertThat(GroupType.fromCode(code)).as("code %d", code).isEqualTo(GroupType.UNKNOWN);
        }
    }
}
