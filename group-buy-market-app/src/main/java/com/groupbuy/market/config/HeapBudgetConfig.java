package com.groupbuy.market.config;

import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyPageBytes;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the compensation run's pages within the heap the JVM was given ({@link Runtime#maxMemory()}: {@code -Xmx}, or
 * {@code MaxRAMPercentage}, 25 % of a container's memory when neither is set). Each of {@code gbm.notify.run-lanes}
 * (8) lanes holds its page of callback bodies, up to {@code gbm.notify.page-bytes} (16 MB), and a completion body lists
 * every member (a team of 10,000: 990,040 bytes), and an MQ page is encoded whole while it is published: eight pages
 * of them under a 256 MB heap (a 1 GB container's default) left 219 MB of 247 live after a full collection, eight full
 * collections of half a second back to back, one page short of an OutOfMemoryError (the bench HeapBudgetIT,
 * docs/bench/heap-budget.sh). Now, when the page's bound is made, it is lowered to what half the heap beyond the
 * service ({@link #SERVICE_BYTES}) leaves each lane (the other half for requests, consumers and the collector), logged
 * as a WARN; a heap that cannot hold one largest body per lane refuses the start, naming the heap to give or the lanes
 * to run (docs/operations.md, "Memory").
 */
@Slf4j
@Configuration
public class HeapBudgetConfig {

    /**
     * The heap the service holds besides the run's pages: 43 MB live once started (the embedded servers left out,
     * HeapBudgetIT's GC log), the request threads' bodies (200 × at most 64 KiB of JSON, StrictJsonReader) and room.
     */
    static final long SERVICE_BYTES = 64L << 20;

    /**
     * Heap a lane's page takes per byte of its bodies: the text, and the bytes each send or an MQ page encodes at once
     * (an MQ page of 16 MB × 8 lanes raised the live heap by 176 MB, 1.4 bytes per byte, when it was measured).
     */
    static final int HEAP_PER_BODY_BYTE = 2;

    /** A team's largest completion body, which a lane takes whole whatever the page's bound. */
    static final long LARGEST_BODY = NotifyConfig.LARGEST_CALLBACK_BODY;

    /** The compensation job's page bounded in bytes of bodies (NotifyTaskStore.claimDue), within the heap. */
    @Bean
    public NotifyPageBytes notifyPageBytes(NotifyProperties properties) {
        long configured = properties.getPageBytes().toBytes();
        Budget budget = new Budget(Runtime.getRuntime().maxMemory(), properties.getRunLanes());
        long bounded = budget.pageBytes(configured);
        if (bounded != configured) {
            log.warn("gbm.notify.page-bytes lowered from {} to {} bytes: {}", configured, bounded, budget);
        } else {
            log.info("gbm.notify.page-bytes {} bytes fits the heap: {}", configured, budget);
        }
        return new NotifyPageBytes(bounded);
    }

    /** Says at start when the JVM would run on after an OutOfMemoryError ({@link #warnUnlessExitOnOutOfMemoryError}). */
    @Bean
    static SmartInitializingSingleton exitOnOutOfMemoryErrorCheck() {
        return HeapBudgetConfig::warnUnlessExitOnOutOfMemoryError;
    }

    /**
     * A heap that ran out once may run out again in any thread, a library's too, while health still answers UP: the
     * JVM should exit on the first OutOfMemoryError and be restarted (docs/operations.md, "Memory"); nothing is
     * half-written by that. Said once at start when it would not.
     */
    static boolean warnUnlessExitOnOutOfMemoryError() {
        if (exitsOnOutOfMemoryError()) {
            return false;
        }
        log.warn("the JVM runs without -XX:+ExitOnOutOfMemoryError: after an OutOfMemoryError it would run on with "
                + "whichever threads it hit, still answering UP; add it to the java command (README, "
                + "docs/operations.md \"Memory\")");
        return true;
    }

    static boolean exitsOnOutOfMemoryError() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm != null
                    && ("true".equals(vm.getVMOption("ExitOnOutOfMemoryError").getValue())
                            || "true"
                                    .equals(vm.getVMOption("CrashOnOutOfMemoryError")
                                            .getValue()));
        } catch (IllegalArgumentException e) {
            // Not a HotSpot JVM: it has neither option.
            return false;
        }
    }

    /** The heap the JVM may grow to ({@code maxHeap}, bytes) against the run's lanes. */
    record Budget(long maxHeap, int lanes) {

        /** Heap the lanes' pages may take together: half of what the service leaves. */
        long pagesShare() {
            return Math.max(0, (maxHeap - SERVICE_BYTES) / 2);
        }

        /** Bytes of bodies each lane's page may hold. */
        long perLane() {
            return pagesShare() / lanes / HEAP_PER_BODY_BYTE;
        }

        /**
         * {@code configured} bounded to what each lane may hold; a heap that leaves a lane less than one largest body
         * (which it takes whole whatever the bound) refuses the start.
         */
        long pageBytes(long configured) {
            long perLane = perLane();
            if (perLane < LARGEST_BODY) {
                long needed = SERVICE_BYTES + 2 * lanes * LARGEST_BODY * HEAP_PER_BODY_BYTE;
                long lanesThatFit = pagesShare() / (LARGEST_BODY * HEAP_PER_BODY_BYTE);
                throw new IllegalStateException("refusing to start: the JVM's heap is at most " + mib(maxHeap)
                        + " (-Xmx, or -XX:MaxRAMPercentage of the machine's or container's memory, 25 % unless set); "
                        + "the service holds up to " + mib(SERVICE_BYTES)
                        + " besides the callbacks' pages, and each of "
                        + "gbm.notify.run-lanes (" + lanes + ") lanes holds at least one whole callback body (up to "
                        + LARGEST_BODY + " bytes, a team's completion of " + ActivityVO.MAX_TARGET
                        + " members) at about "
                        + HEAP_PER_BODY_BYTE + " bytes of heap per byte, within half of what the service leaves. Give "
                        + "the JVM at least " + mib(needed) + " (-Xmx" + ((needed >> 20) + 1) + "m, docs/operations.md)"
                        + (lanesThatFit > 0 ? " or lower gbm.notify.run-lanes to " + lanesThatFit : "")
                        + ".");
            }
            return Math.min(configured, perLane);
        }

        private static String mib(long bytes) {
            return (bytes >> 20) + " MB";
        }

        @Override
        public String toString() {
            return "heap at most " + mib(maxHeap) + " (-Xmx / MaxRAMPercentage), " + mib(SERVICE_BYTES)
                    + " kept for the service, " + lanes + " lanes (gbm.notify.run-lanes) × " + HEAP_PER_BODY_BYTE
                    + " bytes of heap per body byte: " + perLane() + " bytes of bodies per lane";
        }
    }
}
