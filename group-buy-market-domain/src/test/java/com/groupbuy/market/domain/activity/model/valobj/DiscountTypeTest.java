package com.groupbuy.market.domain.activity.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stored discount type: both known codes, every other one unknown, and what each means for pricing. */
class DiscountTypeTest {

    @Test
    void eachKnownCodeNamesItsType() {
        assertThat(DiscountType.fromCode(0)).isEqualTo(DiscountType.BASE);
        assertThat(DiscountType.fromCode(1)).isEqualTo(DiscountType.TAG);
    }

    @Test
    void everyOtherStoredCodeIsUnknown() {
        for (int code : new int[] {-128, -1, 2, 7, 127}) {
            assertThat(DiscountType.fromCode(code)).as("code %d", code).isEqualTo(DiscountType.UNKNOWN);
        }
    }

    /** Only base and tag may price; only tag is for members; an unknown type is neither read as base nor as tag. */
    @Test
    void theDecisions() {
        assertThat(DiscountType.BASE.isKnown()).isTrue();
        assertThat(DiscountType.BASE.isMembersOnly()).isFalse();
        assertThat(DiscountType.TAG.isKnown()).isTrue();
        assertThat(DiscountType.TAG.isMembersOnly()).isTrue();
        assertThat(DiscountType.UNKNOWN.isKnown()).isFalse();
        assertThat(DiscountType.UNKNOWN.isMembersOnly()).isFalse();
    }

    @Test
    void aDiscountTellsItsTypeAndWhetherItNamesATag() {
        DiscountVO members =
                DiscountVO.builder().discountType(DiscountType.TAG).tagId("VIP").build();
        DiscountVO blank =
                DiscountVO.builder().discountType(DiscountType.BASE).tagId(" ").build();
        DiscountVO untyped = DiscountVO.builder().build();

        assertThat(members.isKnownType()).isTrue();
        assertThat(members.isTagOnly()).isTrue();
        assertThat(members.namesTag()).isTrue();
        assertThat(blank.isTagOnly()).isFalse();
        assertThat(blank.namesTag()).as("a blank tag is no tag").isFalse();
        assertThat(untyped.isKnownType()).as("no type read").isFalse();
        assertThat(untyped.isTagOnly()).isFalse();
    }
}
