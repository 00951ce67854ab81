package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * #19: the close-check relay's path for pages of leased checks (publish on one channel, confirms, one finish) against
 * the real broker and database: every check of every page published once into its lane (alone or in a bundle) and
 * finished once, with no attempt row (a failed publish keeps its row). It also prints the bytes the calling thread
 * allocated per check for pages of 1, 20 and 200 checks
 * (the JVM's exact per-thread counter, after warm-up pages; the broker's connection thread's share is not in it), a
 * count for docs/benchmarks.md that does not depend on the machine's load, as the relay's page sizes under a
 * benchmark do. Not asserted: allocation depends on the JIT.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@TestPropertySource(
        properties = "logging.level.com.groupbuy.market=WARN") // as the benchmarks run: no per-task INFO line
class CloseCheckRelayBytesIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_relaybytes_");
    private static final String SUFFIX = QUEUES.suffix();
    private static final String QUEUE = QUEUES.queue();
    private static final String DEAD = QUEUES.deadLetter();
    private static final String LANES = QUEUES.lanePrefix();
    private static final Duration NOMINAL = Duration.ofMinutes(16);
    private static final AtomicInteger TEAM = new AtomicInteger();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
    }

    private static final CachingConnectionFactory BROKER = new CachingConnectionFactory("127.0.0.1", 5672);
    private static final RabbitAdmin ADMIN = new RabbitAdmin(BROKER);
    private static final List<String> LANES_USED = new ArrayList<>();

    @AfterAll
    static void dropBrokerObjects() {
        try {
            QUEUES.delete(LANES_USED.toArray(String[]::new));
        } finally {
            BROKER.destroy();
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    CloseCheckTopology topology;

    @Test
    void everyCheckOfEveryPageIsPublishedAndFinishedOnce() {
        String lane = topology.lane(NOMINAL);
        LANES_USED.add(lane);
        int total = 0;
        List<Long> ids = new ArrayList<>();
        // -Drelay.pages=1 (say) to count one page size only, e.g. under a JFR recording.
        int[] sizes = java.util.Arrays.stream(
                        System.getProperty("relay.pages", "1,20,200").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        for (int size : sizes) {
            long bytes = 0;
            int measured = 0;
            for (int round = 0; round < 40; round++) {
                List<NotifyTaskVO> page = leasedChecks(size);
                page.forEach(t -> ids.add(t.getId()));
                long before = allocatedBytes();
                NotifyRunSummary summary =
                        notifyService.deliverLeased(page, Instant.now().plusSeconds(60));
                long after = allocatedBytes();
                assertThat(summary.delivered()).isEqualTo(size);
                total += size;
                if (round >= 25) {
                    bytes += after - before;
                    measured += size;
                }
            }
            System.out.printf("RELAY-BYTES page=%d bytes_per_check=%d%n", size, bytes / measured);
        }
        int published = total;
        // Each check finished once under its lease, and its message in the lane once. #19: no attempt row for a
        // confirmed check (nothing reads it; the finished task and the attempt meter say it all).
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE task_key LIKE ? AND notify_status = 1"
                                + " AND notify_count = 1 AND claim_token IS NULL",
                        Integer.class,
                        "rb" + SUFFIX + "%"))
                .isEqualTo(published);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id"
                                + " WHERE t.task_key LIKE ?",
                        Integer.class,
                        "rb" + SUFFIX + "%"))
                .as("attempt rows of confirmed close checks")
                .isZero();
        assertThat(ids).doesNotHaveDuplicates();
        // Every check's message id in the lane once, in a message of its own or in a bundle (#19) of at most the
        // configured 16; a page of 20 or 200 checks due together goes out in bundles.
        RabbitTemplate reader = new RabbitTemplate(BROKER);
        List<String> inLane = new ArrayList<>();
        int messages = 0;
        Message message;
        while ((message = reader.receive(lane)) != null) {
            messages++;
            JsonNode body = readJson(message.getBody());
            JsonNode checks = body.path(CloseCheckVO.BUNDLE_FIELD_CHECKS);
            if (checks.isArray()) {
                assertThat(checks.size()).isBetween(2, 16);
                checks.forEach(
                        c -> inLane.add(c.path(CloseCheckVO.BUNDLE_FIELD_ID).asText()));
            } else {
                inLane.add(message.getMessageProperties().getMessageId());
            }
        }
        assertThat(inLane).hasSize(published).doesNotHaveDuplicates().allMatch(id -> id.startsWith("rb-" + SUFFIX));
        assertThat(messages).as("bundled").isLessThan(published);
        System.out.printf("RELAY-MESSAGES checks=%d amqp_messages=%d%n", published, messages);
    }

    /**
     * #19: a page mixing a check the broker confirms with one whose publish fails (its body unreadable): one finish for
     * the page; the confirmed check is done with no attempt row, the failed one waits for its retry with its attempt
     * row (success 0, the error), as every failed attempt is recorded.
     */
    @Test
    void aFailedCheckKeepsItsAttemptRowBesideAConfirmedOneWithout() {
        // A lane and keys of its own: the other test counts what its own lane and keys hold.
        Duration nominal = NOMINAL.plusMinutes(1);
        LANES_USED.add(topology.lane(nominal));
        List<NotifyTaskVO> page = leasedChecks(2, "rf", nominal);
        NotifyTaskVO confirmed = page.get(0);
        NotifyTaskVO unreadable = NotifyTaskVO.builder()
                .id(page.get(1).getId())
                .webhookId(page.get(1).getWebhookId())
                .teamId(page.get(1).getTeamId())
                .source("s01")
                .channel("c01")
                .notifyCategory(page.get(1).getNotifyCategory())
                .notifyType("DELAY")
                .body("not a close check")
                .notifyCount(0)
                .claimToken(page.get(1).getClaimToken())
                .build();

        NotifyRunSummary summary = notifyService.deliverLeased(
                List.of(confirmed, unreadable), Instant.now().plusSeconds(60));

        assertThat(summary.delivered()).isEqualTo(1);
        assertThat(summary.retried()).isEqualTo(1);
        assertThat(jdbc.queryForList(
                        "SELECT notify_status, notify_count FROM notify_task WHERE id IN (?, ?) ORDER BY id",
                        confirmed.getId(),
                        unreadable.getId()))
                .extracting(row -> row.get("notify_status") + "/" + row.get("notify_count"))
                .containsExactly("1/1", "2/1");
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_attempt WHERE task_id = ?", Integer.class, confirmed.getId()))
                .as("the confirmed check's attempt rows")
                .isZero();
        assertThat(jdbc.queryForList(
                        "SELECT attempt_no, success, error FROM notify_attempt WHERE task_id = ?", unreadable.getId()))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.get("attempt_no")).isEqualTo(1);
                    assertThat(((Number) row.get("success")).intValue()).isZero();
                    assertThat((String) row.get("error")).startsWith("close check body unreadable");
                });
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("lane message is not JSON", e);
        }
    }

    /** Checks written under a lease, as a lock writes them for the relay. */
    private List<NotifyTaskVO> leasedChecks(int size) {
        return leasedChecks(size, "rb", NOMINAL);
    }

    /** {@code size} checks keyed {@code <prefix><suffix>:<n>}, into the lane of {@code nominal}. */
    private List<NotifyTaskVO> leasedChecks(int size, String prefix, Duration nominal) {
        List<NotifyTaskVO> page = new ArrayList<>(size);
        Instant closeAt = Instant.now().plus(nominal);
        String token = UUID.randomUUID().toString();
        for (int i = 0; i < size; i++) {
            int n = TEAM.incrementAndGet();
            String teamId = String.format("%08d", n % 100_000_000);
            String key = prefix + SUFFIX + ":" + n;
            String webhookId = prefix + "-" + SUFFIX + "-" + n;
            String body = CloseCheckVO.teamExpiry(teamId, closeAt, nominal).toJson();
            jdbc.update(
                    "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel,"
                            + " notify_category, notify_type, notify_count, notify_status, parameter_json,"
                            + " next_attempt_time, claimed_by, claim_token, claim_until)"
                            + " VALUES (?, ?, 1, ?, 's01', 'c01', ?, 'DELAY', 0, 0, ?, ?, 'relay', ?, ?)",
                    key,
                    webhookId,
                    teamId,
                    CloseCheckVO.Kind.TEAM_EXPIRY.category(),
                    body,
                    Timestamp.from(closeAt),
                    token,
                    Timestamp.from(Instant.now().plusSeconds(60)));
            long id = jdbc.queryForObject("SELECT id FROM notify_task WHERE task_key = ?", Long.class, key);
            page.add(NotifyTaskVO.builder()
                    .id(id)
                    .webhookId(webhookId)
                    .teamId(teamId)
                    .source("s01")
                    .channel("c01")
                    .notifyCategory(CloseCheckVO.Kind.TEAM_EXPIRY.category())
                    .notifyType("DELAY")
                    .body(body)
                    .notifyCount(0)
                    .claimToken(token)
                    .build());
        }
        return page;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
