package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.config.HeapBudgetConfig.Budget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

/**
 * What each lane's page of callback bodies may hold within the heap, and the bean the start makes of it: lowered with a
 * WARN, or the start refused (HeapBudgetIT, a bench run on demand, measures it under a real 256 MB heap).
 */
@ExtendWith(OutputCaptureExtension.class)
class HeapBudgetConfigTest {

    private static final long MB = 1L << 20;
    private static final long SIXTEEN_MB = 16 * MB;

    @Test
    void aHeapThatHoldsEveryLanesPageKeepsTheConfiguredBound() {
        assertThat(new Budget(4096 * MB, 8).pageBytes(SIXTEEN_MB)).isEqualTo(SIXTEEN_MB);
        assertThat(new Budget(Long.MAX_VALUE, 1_000).pageBytes(SIXTEEN_MB))
                .as("no heap limit")
                .isEqualTo(SIXTEEN_MB);
    }

    @Test
    void theHeapOfAOneGigabyteContainerLowersThePageToWhatEachLaneMayHold() {
        // -XX:MaxRAM=1g: a quarter, 256 MB (the serial collector reports a survivor space less).
        Budget budget = new Budget(247 * MB, 8);
        long perLane = (247 * MB - HeapBudgetConfig.SERVICE_BYTES) / 2 / 8 / HeapBudgetConfig.HEAP_PER_BODY_BYTE;
        assertThat(budget.pageBytes(SIXTEEN_MB)).isEqualTo(perLane).isLessThan(SIXTEEN_MB);
        assertThat(perLane).as("a completion of 10,000 still fits a lane").isGreaterThan(HeapBudgetConfig.LARGEST_BODY);
        assertThat(budget.pageBytes(64 * 1024)).as("a lower setting stands").isEqualTo(64 * 1024);
        assertThat(budget.toString())
                .contains("heap at most 247 MB")
                .contains("8 lanes (gbm.notify.run-lanes)")
                .contains(perLane + " bytes of bodies per lane");
    }

    @Test
    void aHeapThatCannotHoldOneLargestBodyPerLaneRefusesTheStartNamingWhatToChange() {
        assertThatThrownBy(() -> new Budget(370 * MB, 1_000).pageBytes(SIXTEEN_MB))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start")
                .hasMessageContaining("heap is at most 370 MB")
                .hasMessageContaining("-Xmx")
                .hasMessageContaining("MaxRAMPercentage")
                .hasMessageContaining("gbm.notify.run-lanes (1000)")
                .hasMessageContaining("990040 bytes")
                .hasMessageContaining("at least 3840 MB")
                .hasMessageContaining("or lower gbm.notify.run-lanes to 81");
        assertThatThrownBy(() -> new Budget(64 * MB, 8).pageBytes(SIXTEEN_MB))
                .as("less heap than the service itself: only a larger heap helps")
                .hasMessageContaining("heap is at most 64 MB")
                .hasMessageNotContaining("or lower gbm.notify.run-lanes");
    }

    /** The start's bean under this JVM's own heap: a bound more than the heap leaves a lane is lowered, said as a WARN. */
    @Test
    void theStartsPageBoundIsLoweredWithAWarnUnderASmallHeap(CapturedOutput output) {
        long heap = Runtime.getRuntime().maxMemory();
        NotifyProperties properties = new NotifyProperties();
        properties.setRunLanes(1);
        properties.setPageBytes(DataSize.ofBytes(heap));
        long lowered = new Budget(heap, 1).pageBytes(heap);

        assertThat(new HeapBudgetConfig().notifyPageBytes(properties).bytes())
                .isEqualTo(lowered)
                .isLessThan(heap);
        assertThat(output.getOut())
                .contains("WARN")
                .contains("gbm.notify.page-bytes lowered from " + heap + " to " + lowered + " bytes");
    }

    /** The same bean refuses the start when the heap cannot hold one largest body per lane. */
    @Test
    void theStartsPageBoundRefusesTheStartUnderATooSmallHeap() {
        NotifyProperties properties = new NotifyProperties();
        properties.setRunLanes(1_000_000);

        assertThatThrownBy(() -> new HeapBudgetConfig().notifyPageBytes(properties))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to start: the JVM's heap is at most ")
                .hasMessageContaining("gbm.notify.run-lanes (1000000)");
    }
}
