package com.groupbuy.market.scale;

import static com.groupbuy.market.support.TestJson.JSON;
import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service in a JVM that sees another processor count than this machine's (-XX:ActiveProcessorCount, as a container
 * of one CPU or a host of 64 cores shows it), every flow driven once: locks, a settlement completing a team with its
 * HTTP callback and its MQ callback, a paid member's refund (the partner's refund callback and our refund event
 * consumed), an unpaid lock closed by its close check, a refused callback delivered again by the XXL-Job handler's run,
 * the timeout and retention jobs. After the start and after the flows it prints the process's threads by name, its
 * resident memory and the JVM's native memory summary. At 1, 2 and 64 every flow completed (docs/operations.md
 * "Processor count").
 * <p>
 * A bench, not a test of the build (a JVM start of 25-50 s per count): it runs only when asked, with the counts to
 * run ({@code -Dgbm.bench.cpus=1,2,64}). Above 1 the JVM gets G1, as it picks on its own from 2 processors; at 1 it
 * picks the serial collector. What the build keeps without it: ArchitectureTest refuses code of ours that sizes
 * itself from the processor count.
 */
@IntegrationTest
@EnabledIfSystemProperty(named = "gbm.bench.cpus", matches = "[0-9,]+")
class ProcessorCountIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(23000);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "it-cpu-token";

    @Autowired
    JdbcTemplate jdbc;

    @Value("${gbm.test.database}")
    String database;

    @Value("${gbm.redis.key-prefix}")
    String keyPrefix;

    @Test
    void everyFlowCompletes() throws Exception {
        for (String count : System.getProperty("gbm.bench.cpus").split(",")) {
            flows(Integer.parseInt(count));
        }
    }

    private void flows(int cpus) throws Exception {
        String u = "p" + cpus + "-";
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String shared = "gbm_t_shared_" + suffix;
        String internal = "gbm_t_internal_" + suffix;
        String refundQueue = "gbm_t_refund_" + suffix;
        CloseCheckQueues closeChecks = CloseCheckQueues.named("gbm_t_cpuclose_");
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                        + IsolatedDatabaseInitializer.PARAMS,
                "--gbm.redis.key-prefix=" + keyPrefix,
                "--gbm.mq.exchange=" + shared,
                "--gbm.mq.internal-exchange=" + internal,
                "--gbm.mq.refund-consumer.enabled=true",
                "--gbm.mq.refund-consumer.queue=" + refundQueue,
                "--gbm.mq.refund-consumer.dead-letter-queue=" + refundQueue + ".dead",
                "--gbm.timeout.unpaid-timeout=3s",
                "--gbm.timeout.expiry-grace=60s",
                "--gbm.close-check.backstop-margin=2s",
                "--gbm.notify.backoff=1s,1h",
                "--gbm.notify.jitter=0",
                "--xxl.job.executor.enabled=true",
                "--xxl.job.admin.accessToken=" + TOKEN,
                "--xxl.job.executor.logpath=" + System.getProperty("java.io.tmpdir") + "/gbm-xxl-cpu-" + suffix));
        for (String setting : closeChecks.settings()) {
            arguments.add("--" + setting);
        }
        // C2 on (AppProcess stops at C1 for a quick start): the JIT's threads follow the count too.
        List<String> jvm = new ArrayList<>(List.of(
                "-XX:ActiveProcessorCount=" + cpus, "-XX:TieredStopAtLevel=4", "-XX:NativeMemoryTracking=summary"));
        if (cpus > 1) {
            // What the JVM picks on its own from 2 processors (and 1792 MB) up; at 1 it picks the serial collector.
            jvm.addAll(List.of("-XX:-UseSerialGC", "-XX:+UseG1GC"));
        }
        try (PartnerReceiver partner = new PartnerReceiver();
                PartnerReceiver refunds = new PartnerReceiver();
                MallQueue mall = new MallQueue(5672, shared, "topic.team_success")) {
            arguments.add("--gbm.notify.refund-urls.s01.c01=" + refunds.url());
            long started = System.currentTimeMillis();
            try (AppProcess app = AppProcess.start("cpu" + cpus, List.of(), jvm, arguments)) {
                System.out.printf(
                        "ProcessorCountIT cpus=%d started in %d ms, log %s%n",
                        cpus, System.currentTimeMillis() - started, app.output());
                census("after start", app);
                long activityId = ACTIVITY.incrementAndGet();
                TradeClient http = TradeClient.onNewGoods(app.port(), jdbc, activityId, partner.url());
                // HTTP callback after a completing settlement.
                String httpTeam = http.team(u + "h1", u + "h2", u + "h3");
                for (String user : List.of(u + "h1", u + "h2", u + "h3")) {
                    assertThat(http.settle(user).path("code").asText()).isEqualTo("0000");
                }
                await(() -> partner.received().stream()
                        .anyMatch(b -> httpTeam.equals(b.path("teamId").asText())));
                // MQ callback.
                String mqTeam = "";
                for (String user : List.of(u + "m1", u + "m2", u + "m3")) {
                    JsonNode answer = TestJson.postEnvelope(
                            app.port(),
                            "/api/v1/gbm/trade/lock_market_pay_order",
                            "{\"userId\":\"" + user + "\",\"teamId\":\"" + mqTeam + "\",\"activityId\":" + activityId
                                    + ",\"goodsId\":\"g" + activityId
                                    + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + user
                                    + "\",\"notifyConfigVO\":{\"notifyType\":\"MQ\"}}");
                    assertThat(answer.path("code").asText())
                            .as(answer.toString())
                            .isEqualTo("0000");
                    mqTeam = answer.path("data").path("teamId").asText();
                }
                for (String user : List.of(u + "m1", u + "m2", u + "m3")) {
                    assertThat(http.settle(user).path("code").asText()).isEqualTo("0000");
                }
                String mqTeamId = mqTeam;
                await(() -> mall.forTeam(mqTeamId).size() == 1);
                // Refund of a paid member of an open team: the partner's refund callback and our refund event.
                String refundTeam = http.team(u + "r1", u + "r2");
                assertThat(http.settle(u + "r1").path("code").asText()).isEqualTo("0000");
                assertThat(http.refund(u + "r1").path("data").path("code").asText())
                        .isEqualTo("success");
                await(() -> !refunds.callbacksFor("out-" + u + "r1").isEmpty());
                await(() -> jdbc.queryForObject(
                                "SELECT COUNT(*) FROM mq_consumption_record WHERE status = 1 AND message_id IN (SELECT "
                                        + "webhook_id FROM notify_task WHERE team_id = ? AND notify_type = 'MQ')",
                                Integer.class,
                                refundTeam)
                        == 1);
                // The close check: an unpaid lock closed by its delayed check (3 s).
                http.team(u + "c1");
                // A callback the partner refuses once, delivered again by the XXL-Job handler's run.
                partner.refuseNext(1);
                String retryTeam = http.team(u + "t1", u + "t2", u + "t3");
                for (String user : List.of(u + "t1", u + "t2", u + "t3")) {
                    assertThat(http.settle(user).path("code").asText()).isEqualTo("0000");
                }
                await(() -> taskStatus(retryTeam) == 2);
                Thread.sleep(1_100); // the 1 s backoff
                run(app.executorPort(), 1, "groupBuyNotifyJob");
                await(() -> partner.received().stream()
                        .anyMatch(b -> retryTeam.equals(b.path("teamId").asText())));
                await(() -> orderStatus(activityId, u + "c1") == 2);
                run(app.executorPort(), 2, "groupBuyTimeoutCloseJob");
                run(app.executorPort(), 3, "notifyRetentionJob");
                await(() ->
                        logged(app, "groupBuyTimeoutCloseJob shard=0/1") && logged(app, "notifyRetentionJob deleted="));
                census("after the flows", app);
                assertThat(Files.readString(app.output())).doesNotContain("java.lang.OutOfMemoryError");
            }
        } finally {
            closeChecks.delete(closeChecks.lane("3s"), closeChecks.lane("960s"));
            MallQueues.onBroker(admin -> {
                admin.deleteQueue(refundQueue);
                admin.deleteQueue(refundQueue + ".dead");
                admin.deleteExchange(shared);
                admin.deleteExchange(internal);
            });
        }
    }

    private static boolean logged(AppProcess app, String text) {
        try {
            return Files.readString(app.output()).contains(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int taskStatus(String teamId) {
        return jdbc.queryForObject(
                "SELECT notify_status FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                Integer.class,
                teamId);
    }

    private int orderStatus(long activityId, String userId) {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE activity_id = ? AND user_id = ?",
                Integer.class,
                activityId,
                userId);
    }

    private static void run(int executorPort, int jobId, String handler) throws Exception {
        long logId = System.nanoTime();
        String body = "{\"jobId\":" + jobId + ",\"executorHandler\":\"" + handler + "\",\"executorParams\":\"\","
                + "\"executorBlockStrategy\":\"SERIAL_EXECUTION\",\"executorTimeout\":0,\"logId\":" + logId
                + ",\"logDateTime\":" + System.currentTimeMillis() + ",\"glueType\":\"BEAN\",\"glueSource\":\"\","
                + "\"glueUpdatetime\":0,\"broadcastIndex\":0,\"broadcastTotal\":1}";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + executorPort + "/run"))
                        .header("Content-Type", "application/json")
                        .header("XXL-JOB-ACCESS-TOKEN", TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(response.body()).path("code").asInt())
                .as(handler + ": " + response.body())
                .isEqualTo(200);
    }

    /** The process's threads by name (digits folded), its resident memory and the JVM's native memory summary. */
    private static void census(String when, AppProcess app) throws Exception {
        Map<String, Integer> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(app.pid()), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "#");
                    byName.merge(name, 1, Integer::sum);
                } catch (Exception e) {
                    // gone
                }
            });
        }
        int total = byName.values().stream().mapToInt(Integer::intValue).sum();
        String rss = Files.readAllLines(Path.of("/proc", Long.toString(app.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
                .toList()
                .toString();
        System.out.printf("ProcessorCountIT %s: %d threads %s %s%n", when, total, rss, byName);
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process nmt = new ProcessBuilder(jcmd, Long.toString(app.pid()), "VM.native_memory", "summary")
                .redirectErrorStream(true)
                .start();
        // The totals and each category's line (reserved, committed), not their detail.
        String categories = new String(nmt.getInputStream().readAllBytes())
                .lines()
                .map(String::strip)
                .filter(line -> line.startsWith("Total:") || line.startsWith("- "))
                .map(line -> line.replaceAll("\\s+", " "))
                .collect(java.util.stream.Collectors.joining("\n  "));
        System.out.printf("ProcessorCountIT native memory %s:%n  %s%n", when, categories);
    }
}
