package com.groupbuy.market.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.RunsAlone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service with the heap a 1 GB container gives the JVM by default (a quarter: 256 MB), every lane of the
 * compensation run (8) publishing a backlog of teams' completions of 10,000 members (~1 MB of body each) to a partner's
 * exchange. Each lane held a page of {@code gbm.notify.page-bytes} (16 MB) of bodies, and an MQ page is encoded whole
 * before it is published (the text and its bytes at once): eight such pages left 219 MB of the 247 live after a full
 * collection, eight full collections of half a second back to back, a page short of an OutOfMemoryError. Now the page's bound follows the heap (HeapBudgetConfig) and every completion goes out. The same backlog
 * over HTTP (a partner answering in 200 ms) fitted before too: 136 delivered in 8 s, 122-131 MB live after each of six
 * full collections (docs/benchmarks.md).
 * <p>
 * A bench, not a test of the build: it runs only when asked ({@code -Dgbm.bench.heap=true}, docs/bench/heap-budget.sh
 * prints its numbers). What the build proves without it, HeapBudgetConfigTest: a small heap lowers the page's bound
 * with the WARN, and a too small one refuses the start.
 */
// Publishes on the shared broker's partner exchange (unroutable: no mall's queue is bound, so nothing is kept), where
// beside a class that binds a queue to it its 136 MB would land in that queue; heavy on the host for a few seconds.
@RunsAlone
@IntegrationTest
@EnabledIfSystemProperty(named = "gbm.bench.heap", matches = "true")
class HeapBudgetIT {

    /** Eight lanes' worth of 16 MB pages of them, and some. */
    private static final int COMPLETIONS = 136;

    /** A completion of 10,000 members: 99 bytes of trade number each (NotifyConfig.LARGEST_CALLBACK_BODY). */
    private static final int MEMBERS = 10_000;

    @Autowired
    JdbcTemplate jdbc;

    @Value("${gbm.test.database}")
    String database;

    @Value("${gbm.redis.key-prefix}")
    String keyPrefix;

    @Test
    void everyLanePublishingTeamsOfTenThousandFitsTheHeapOfAOneGigabyteContainer() throws Exception {
        String members = memberList();
        Path gcLog = Path.of("target", "gbm-heap-gc-" + System.currentTimeMillis() + ".log")
                .toAbsolutePath();
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        for (int i = 0; i < COMPLETIONS; i++) {
            tasks.dueMqTaskWithBody(teamId -> "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[" + members + "]}");
        }
        List<String> arguments = List.of(
                "--spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                        + IsolatedDatabaseInitializer.PARAMS,
                "--gbm.redis.key-prefix=" + keyPrefix,
                "--gbm.notify.local-scheduler-enabled=true",
                "--gbm.notify.local-scheduler-delay=500ms",
                "--gbm.notify.backoff=1h");
        try (AppProcess app =
                AppProcess.start("heap", List.of(), List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog), arguments)) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (attempted() < COMPLETIONS && System.currentTimeMillis() < deadline && app.isAlive()) {
                Thread.sleep(100);
            }
            String log = Files.readString(app.output());
            assertThat(fullCollectionsLiveMb(gcLog))
                    .as("MB live after each full collection (of 247), GC log %s", gcLog)
                    .allMatch(live -> live < 185);
            assertThat(attempted())
                    .as(
                            "completions published (delivered, or returned: no mall's queue is bound); heap at most "
                                    + "%d MB before, %d MB after a collection; log %s, GC log %s",
                            heapMb(gcLog, 1), heapMb(gcLog, 2), app.output(), gcLog)
                    .isEqualTo(COMPLETIONS);
            assertThat(log).doesNotContain("java.lang.OutOfMemoryError").contains("gbm.notify.page-bytes lowered from");
            System.out.printf(
                    "HeapBudgetIT: %d completions published, heap at most %d MB before, %d MB after a collection;"
                            + " MB live after each full collection %s; GC log %s%n",
                    COMPLETIONS, heapMb(gcLog, 1), heapMb(gcLog, 2), fullCollectionsLiveMb(gcLog), gcLog);
        }
    }

    /** Tasks whose first attempt is recorded, whatever it came to. */
    private int attempted() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE notify_count > 0", Integer.class);
    }

    /** The heap live after each full collection the run caused (Allocation Failure), from the unified GC log. */
    static List<Long> fullCollectionsLiveMb(Path gcLog) throws IOException {
        Matcher full = Pattern.compile("Pause Full \\(Allocation Failure\\) \\d+M->(\\d+)M\\(")
                .matcher(Files.readString(gcLog));
        List<Long> live = new java.util.ArrayList<>();
        while (full.find()) {
            live.add(Long.parseLong(full.group(1)));
        }
        return live;
    }

    /** 10,000 quoted trade numbers of 96 characters, comma-separated: 990,000 bytes. */
    private static String memberList() {
        StringBuilder list = new StringBuilder(MEMBERS * 99);
        for (int i = 0; i < MEMBERS; i++) {
            if (i > 0) {
                list.append(',');
            }
            list.append('"').append(String.format("%096d", i)).append('"');
        }
        return list.toString();
    }

    /**
     * The largest heap in use before ({@code group} 1) or after (2) a collection, from the unified GC log
     * ({@code 120M->40M(247M)}).
     */
    static long heapMb(Path gcLog, int group) throws IOException {
        if (!Files.exists(gcLog)) {
            return -1;
        }
        Matcher used = Pattern.compile("(\\d+)M->(\\d+)M\\(").matcher(Files.readString(gcLog));
        long peak = 0;
        while (used.find()) {
            peak = Math.max(peak, Long.parseLong(used.group(group)));
        }
        return peak;
    }
}
