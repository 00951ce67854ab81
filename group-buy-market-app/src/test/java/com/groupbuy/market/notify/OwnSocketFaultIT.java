package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.PartnerReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Callbacks due while our own process has no descriptor left for a socket ("Too many open files": its RLIMIT_NOFILE
 * reached), to a partner that is well all along. Each such call failed before a byte left us, yet it was the
 * partner's failed attempt: a try used (with a short schedule the callback ended FAIL, lost until an operator
 * re-drives it) and a failure counted against the partner's endpoint breaker, which opened. Now such a call is "not
 * sent", no try used and nothing counted against the endpoint, and the callbacks go out once descriptors are free.
 * <p>
 * The instance runs as a process of its own whose soft descriptor limit is lowered, while it runs, below the
 * descriptors it holds ({@code prlimit --pid}): its pools' connections stay open, and no new socket can be had. One
 * process for both cases (a start is most of each case's time): each has a partner, tasks and breaker of its own (an
 * IP literal and a host name), and reads only the log written since it began.
 */
@IntegrationTest
class OwnSocketFaultIT {

    /** The hard limit the instance starts with, and the soft one it gets back. */
    private static final int LIMIT = 4096;

    /** Callbacks due while descriptors are out. */
    private static final int CALLBACKS = 3;

    @Autowired
    JdbcTemplate jdbc;

    @Value("${gbm.test.database}")
    String database;

    @Value("${gbm.redis.key-prefix}")
    String keyPrefix;

    /** The instance both cases use, started by the first; its name service, the hosts file below. */
    private static AppProcess app;

    private static Path hosts;
    private static Path security;

    @AfterAll
    static void stopInstance() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (hosts != null) {
                Files.deleteIfExists(hosts);
                Files.deleteIfExists(security);
            }
        }
    }

    @Test
    void callbacksDueWhileOurDescriptorsAreOutUseNoTryAndOpenNoBreaker() throws Exception {
        // An IP literal: no name to resolve (reading a hosts file takes a descriptor too).
        deliverWhileDescriptorsAreOut(url -> url.replace("localhost", "127.0.0.1"), "Too many open files");
    }

    /**
     * As production's callbacks are, to a host name: its lookup fails first, before any socket is asked for, and the
     * JDK words that failure as a name that does not resolve ("Name or service not known" from the system's resolver,
     * which could open neither /etc/hosts nor a socket to the name server; here "hosts file ... not found"), an
     * UnknownHostException with no trace of the descriptors. On main each was the partner's failed attempt. The name
     * resolves through a hosts file of the test's own ({@code jdk.net.hosts.file}: read at every lookup, as the system
     * resolver reads /etc/hosts), so no machine's /etc/hosts or resolver matters; the JDK's negative cache is kept as
     * on (5 s here, 10 s by default, so the wait for delivery below has room), so the failure it replays after
     * descriptors are back is ours too.
     */
    @Test
    void callbacksToAHostNameWhoseLookupFailsWhileOurDescriptorsAreOutUseNoTry() throws Exception {
        deliverWhileDescriptorsAreOut(
                url -> url.replaceFirst("//[^/:]+:", "//partner.own-lookup.test:"), "out of file descriptors");
    }

    /**
     * The instance, started once: its name service a hosts file of the test's own with its negative cache (see
     * above), which an IP literal never reads.
     */
    private AppProcess instance() throws Exception {
        if (app != null) {
            return app;
        }
        hosts = Files.createTempFile("gbm-hosts", ".txt");
        security = Files.createTempFile("gbm-java", ".security");
        // localhost too: the file is the JVM's only name service, and the warm-up partner may be named so.
        Files.writeString(hosts, "127.0.0.1 localhost\n127.0.0.1 partner.own-lookup.test\n");
        Files.writeString(security, "networkaddress.cache.negative.ttl=5\n");
        List<String> arguments = List.of(
                "--spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                        + IsolatedDatabaseInitializer.PARAMS,
                // Every connection of the pool opened at start: none is to be had once descriptors are out.
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--spring.datasource.hikari.minimum-idle=5",
                "--gbm.redis.key-prefix=" + keyPrefix,
                "--gbm.notify.local-scheduler-enabled=true",
                "--gbm.notify.local-scheduler-delay=300ms",
                // Two tries a second apart: a callback whose every try our own fault takes ends FAIL within seconds.
                "--gbm.notify.backoff=1s",
                "--gbm.notify.jitter=0",
                // The production breaker but for its minimum calls (the test profile raises them out of reach): as
                // many as the callbacks' tries, so charged to the partner they end FAIL as the breaker opens (with
                // fewer it opened first and held their second tries back for its 30 s).
                "--gbm.notify.guard.minimum-calls=" + 2 * CALLBACKS);
        app = AppProcess.start(
                "ownfaults",
                List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT, "--"),
                List.of("-Djdk.net.hosts.file=" + hosts, "-Djava.security.properties=" + security),
                arguments);
        return app;
    }

    private void deliverWhileDescriptorsAreOut(UnaryOperator<String> partnerUrl, String ownFaultText) throws Exception {
        AppProcess app = instance();
        // This case's log: what the instance wrote since it began.
        Log log = new Log(app.output(), Files.size(app.output()));
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        try (PartnerReceiver warmUp = new PartnerReceiver();
                PartnerReceiver partner = new PartnerReceiver()) {
            // One callback delivered first, to another partner, so the delivery path's classes are loaded while
            // files can still be opened (the test's class path has directories); its pooled connection goes to that
            // partner, not to the one under test.
            String first = tasks.dueTask(warmUp.url());
            await(() -> received(warmUp, first));

            String url = partnerUrl.apply(partner.url());
            limitDescriptors(app.pid(), 3);
            List<String> teams;
            try {
                teams = java.util.stream.IntStream.range(0, CALLBACKS)
                        .mapToObj(i -> tasks.dueTask(url))
                        .toList();
                // Until the callbacks have ended FAIL (as they did), or runs enough to have used up their two tries
                // have each put them back unsent.
                await(() -> teams.stream().allMatch(team -> tasks.status(team) == 3)
                        || (notSentWarnings(log) >= 3
                                && teams.stream()
                                        .allMatch(team -> lastError(team).contains(ownFaultText))));
                assertThat(outcomes(teams, log))
                        .as("while our descriptors are out (log %s)", app.output())
                        .isEqualTo(expected(teams, "status=2 tries=0 attempts=0", false));
            } finally {
                limitDescriptors(app.pid(), LIMIT);
            }
            await(() -> teams.stream().allMatch(team -> received(partner, team)));
            await(() -> teams.stream().allMatch(team -> tasks.status(team) == 1));
            assertThat(outcomes(teams, log))
                    .as("once descriptors are free again (log %s)", app.output())
                    .isEqualTo(expected(teams, "status=1 tries=1 attempts=1", false));
        }
    }

    private static boolean received(PartnerReceiver partner, String team) {
        return partner.received().stream()
                .anyMatch(body -> team.equals(body.path("teamId").asText()));
    }

    /** Sets the process's soft descriptor limit (its hard one stays {@link #LIMIT}, so it can be raised again). */
    private static void limitDescriptors(long pid, int soft) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":" + LIMIT)
                .redirectErrorStream(true)
                .start();
        String output = new String(prlimit.getInputStream().readAllBytes());
        assertThat(prlimit.waitFor()).as("prlimit: %s", output).isZero();
    }

    /** Each task's status, tries and attempt rows, and whether the partner's breaker opened. */
    private String outcomes(List<String> teams, Log log) {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        Map<String, String> each = teams.stream()
                .collect(Collectors.toMap(
                        team -> team,
                        team -> "status=" + tasks.status(team) + " tries=" + tasks.count(team) + " attempts="
                                + tasks.attemptRows(team)));
        return teams.stream().map(team -> team + ": " + each.get(team)).collect(Collectors.joining("; "))
                + "; breaker opened=" + log.text().contains("circuit CLOSED -> OPEN") + "; last error: "
                + lastError(teams.get(0));
    }

    private String expected(List<String> teams, String each, boolean breakerOpened) {
        return teams.stream().map(team -> team + ": " + each).collect(Collectors.joining("; ")) + "; breaker opened="
                + breakerOpened + "; last error: " + lastError(teams.get(0));
    }

    private String lastError(String team) {
        return String.valueOf(
                jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = ?", String.class, team));
    }

    /** The per-page warnings that callbacks were not sent for our own socket fault. */
    private static long notSentWarnings(Log log) {
        return log.text()
                .lines()
                .filter(line -> line.contains("WARN") && line.contains("not sent for our own fault"))
                .count();
    }

    /** What the instance wrote to {@code file} from byte {@code from} on. */
    private record Log(Path file, long from) {

        String text() {
            try (java.io.InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(from);
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
