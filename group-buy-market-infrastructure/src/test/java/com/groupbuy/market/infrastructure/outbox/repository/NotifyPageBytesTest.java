package com.groupbuy.market.infrastructure.outbox.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The byte cut of a compensation page ({@code gbm.notify.page-bytes}): rows in order while their bodies together fit,
 * always the first (a body larger than the page goes alone), never one past a row that did not fit.
 */
class NotifyPageBytesTest {

    private final NotifyPageBytes page = new NotifyPageBytes(1_000);

    private List<Long> fitting(Long... sizes) {
        return page.fitting(List.of(sizes), Long::longValue);
    }

    @Test
    void rowsAreTakenInOrderWhileTheirBytesTogetherFit() {
        assertThat(fitting(400L, 400L, 400L, 10L)).containsExactly(400L, 400L);
        assertThat(fitting(400L, 600L, 1L)).as("exactly the page").containsExactly(400L, 600L);
        assertThat(fitting(10L, 20L, 30L)).as("small bodies: the whole page").containsExactly(10L, 20L, 30L);
    }

    @Test
    void aBodyLargerThanThePageGoesAloneAndEndsThePage() {
        assertThat(fitting(5_000L, 1L, 1L)).containsExactly(5_000L);
        assertThat(fitting(1L, 5_000L, 1L)).as("not taken after another").containsExactly(1L);
    }

    @Test
    void aRowThatDoesNotFitEndsThePageEvenIfAYoungerSmallerOneWould() {
        assertThat(fitting(900L, 200L, 50L)).containsExactly(900L);
    }

    @Test
    void nothingToCutAndNoPageOfNoBytes() {
        assertThat(fitting()).isEmpty();
        assertThat(new NotifyPageBytes(Long.MAX_VALUE).fitting(List.of(Long.MAX_VALUE, Long.MAX_VALUE), v -> v))
                .hasSize(1);
        assertThatThrownBy(() -> new NotifyPageBytes(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
