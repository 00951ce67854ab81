package com.groupbuy.market.domain.activity.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every stored code design §6 names, codes nobody names, and which of them lets trials and locks run. */
class ActivityStatusTest {

    @Test
    void eachKnownCodeNamesItsState() {
        assertThat(ActivityStatus.fromCode(0)).isEqualTo(ActivityStatus.CREATED);
        assertThat(ActivityStatus.fromCode(1)).isEqualTo(ActivityStatus.EFFECTIVE);
        assertThat(ActivityStatus.fromCode(2)).isEqualTo(ActivityStatus.EXPIRED);
        assertThat(ActivityStatus.fromCode(3)).isEqualTo(ActivityStatus.ABANDONED);
    }

    /** TINYINT holds -128..127: every code but 0 to 3 is one we do not know, and none of them is ever effective. */
    @Test
    void everyOtherStoredCodeIsUnknownAndNeverEffective() {
        for (int code = -128; code <= 127; code++) {
            if (code >= 0 && code <= 3) {
                continue;
            }
            assertThat(ActivityStatus.fromCode(code)).as("code %d", code).isEqualTo(ActivityStatus.UNKNOWN);
            assertThat(ActivityStatus.fromCode(code).isEffective()).isFalse();
        }
    }

    @Test
    void onlyAnEffectiveActivityRuns() {
        assertThat(Arrays.stream(ActivityStatus.values()).filter(ActivityStatus::isEffective))
                .containsExactly(ActivityStatus.EFFECTIVE);
    }

    @Test
    void anActivityOfAnUnknownStatusIsNotEffective() {
        ActivityVO unknown =
                ActivityVO.builder().status(ActivityStatus.fromCode(7)).build();
        ActivityVO none = ActivityVO.builder().build();
        ActivityVO effective =
                ActivityVO.builder().status(ActivityStatus.fromCode(1)).build();

        assertThat(unknown.isEffective()).isFalse();
        assertThat(none.isEffective()).as("no status read").isFalse();
        assertThat(effective.isEffective()).isTrue();
    }
}
