package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.repository.SettlementBatchWriter;
import com.groupbuy.market.infrastructure.trade.repository.SettlementOutcome;
import com.groupbuy.market.infrastructure.trade.repository.SettlementWrite;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A settlement batch's payments written together (#19 settlepay, {@code BatchPayments}) against the same batch written
 * payment by payment ({@code gbm.settlement.group-commit.pay-together=false}), both writers built here on the real
 * database so each batch is exactly what the test composes (no timing): the same stale situations (an order settled
 * alone or refunded after its read, a failed team, a team with fewer places than payments, a double notice, two
 * partners' teams) give the same outcome to every settlement and the same rows; and two writers (two instances)
 * writing overlapping batches at once, with the same orders also settled alone, pay every order once, count every team
 * exactly and write one callback per completed team listing exactly its paid members, to its own partner.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.secrets.s02.c02=parity_secret"})
class SettlementBatchParityIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(19900);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ISettlementRepository settlements;

    @Autowired
    NotifyRoutes routes;

    @Autowired
    IGroupBuySettlementDao dao;

    @Autowired
    INotifyTaskRepository notifyTasks;

    @Autowired
    INotifyTaskDao taskDao;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    TradeTimeoutService timeouts;

    private final MockWebServer[] partners = {new MockWebServer(), new MockWebServer()};
    private long activityId;

    // The races': two writers (two instances), the pool their batches and what runs alongside them run on, and how
    // many batches failed (each then written alone).
    private SettlementBatchWriter first;
    private SettlementBatchWriter second;
    private ExecutorService pool;
    private int fallbacks;

    @BeforeEach
    void setUp() throws Exception {
        for (MockWebServer partner : partners) {
            partner.start();
        }
        first = writer(true);
        second = writer(true);
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        for (MockWebServer partner : partners) {
            partner.close();
        }
    }

    /**
     * Every situation a batch meets, once written together and once payment by payment, each on fresh teams: every
     * settlement's outcome (per team, the multiset of paid / completed / refused) and every row (orders, teams, the
     * callbacks: how many, whose, listing whom) the same; and each as the product promises.
     */
    @Test
    void aBatchPaidTogetherAnswersAndWritesExactlyAsThePaymentByPaymentBatch() throws Exception {
        Map<String, Object> together = scenario(writer(true));
        Map<String, Object> oneByOne = scenario(writer(false));
        assertThat(together).isEqualTo(oneByOne);

        // What both said, as the promises require.
        assertThat(together.get("P outcomes")).isEqualTo(List.of("completed", "paid", "paid"));
        assertThat(together.get("P team")).isEqualTo("status=1 count=3 paid=3");
        assertThat(together.get("P callbacks")).isEqualTo(List.of("s01/c01 -> partner0 [#1, #2, #3]"));
        // The other partner's team in the same batch: its callback its own, to its own partner; b1 noticed twice.
        assertThat(together.get("Q outcomes")).isEqualTo(List.of("completed", "paid", "paid", "refused"));
        assertThat(together.get("Q callbacks")).isEqualTo(List.of("s02/c02 -> partner1 [#1, #2, #3]"));
        // One place left for three payments: one paid (the team completed), two refused, the callback lists it alone.
        assertThat(together.get("C outcomes")).isEqualTo(List.of("completed", "refused", "refused"));
        assertThat(together.get("C team")).isEqualTo("status=1 count=3 paid=1");
        assertThat(together.get("C callbacks")).isEqualTo(List.of("s01/c01 -> partner0 [#1]"));
        assertThat(together.get("C orders")).isEqualTo(List.of(1, 0, 0));
        assertThat(together.get("R outcomes")).isEqualTo(List.of("paid", "paid", "refused"));
        assertThat(together.get("R team")).isEqualTo("status=0 count=2 paid=2");
        assertThat(together.get("R orders")).isEqualTo(List.of(1, 2, 1));
        assertThat(together.get("R callbacks")).asList().isEmpty();
        assertThat(together.get("F outcomes")).isEqualTo(List.of("refused", "refused"));
        assertThat(together.get("S outcomes")).isEqualTo(List.of("completed", "paid", "refused"));
        assertThat(together.get("S callbacks")).isEqualTo(List.of("s01/c01 -> partner0 [#1, #2, #3]"));
    }

    /**
     * Two writers (two instances sharing the database) write overlapping batches at once, of the same orders, while
     * some of those orders are also settled alone: a batch that fails (a deadlock) is written settlement by settlement
     * alone, as the group commit does. Each order is paid by exactly one of its notices, each team counts exactly its
     * paid members and completes, and each writes exactly one callback listing all of them.
     */
    @Test
    void overlappingBatchesOfTwoInstancesAndLoneSettlementsPayEachOrderOnce() throws Exception {
        Random random = new Random(19);
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            Round set = newRound("m", false, 11, random);
            List<String> names = set.names();
            List<String> alone = new ArrayList<>(names);
            Collections.shuffle(alone, random);
            List<String> aloneOnes = new ArrayList<>(alone.subList(0, 4));
            // Every order noticed at least once.
            for (String name : names) {
                if (!set.aBatch().contains(name) && !set.bBatch().contains(name) && !aloneOnes.contains(name)) {
                    aloneOnes.add(name);
                }
            }
            Tally tally = new Tally(set.read());
            Future<List<Object>> fc = race(set, tally, () -> {
                List<Object> out = new ArrayList<>();
                for (String name : aloneOnes) {
                    out.add(alone(set.read().get(name)));
                }
                return out;
            });
            tally.add(aloneOnes, fc.get());
            Map<String, Integer> paidNotices = tally.paidNotices;
            Map<String, Integer> completions = tally.completions;
            for (String name : names) {
                assertThat(paidNotices.get(name))
                        .as("round " + round + " " + name + " paid by one notice")
                        .isEqualTo(1);
            }
            for (int t = 0; t < set.teams().size(); t++) {
                assertThat(completions.get("m" + t))
                        .as("round " + round + " team m" + t + " completed once")
                        .isEqualTo(1);
                String team = set.teams().get(t);
                assertThat(teamRow(team)).as(team).isEqualTo("status=1 count=3 paid=3");
                assertThat(callbacks(team))
                        .as(team)
                        .isEqualTo(List.of("s01/c01 -> partner0 " + List.of(members("m", t))));
            }
        }
        // Printed for the report: how many batches a deadlock sent to be written alone.
        System.out.println("parity race: rounds=" + rounds + " batches fallen back=" + fallbacks);
    }

    /**
     * Teams past their end expire (the timeout path, {@code expireTeamNow}) while two writers pay their members in
     * overlapping batches: each team ends either complete (its three paid, counted, called once listing all three, the
     * completing settlement answered so) or failed (no completion, no callback), never between; every settlement
     * answered paid has its order paid, each paid order by one notice, and the team's count is its paid members.
     */
    @Test
    void batchesRacingTeamExpiryLeaveEachTeamCompleteOrFailedAndEveryPaidAnswerTrue() throws Exception {
        Random random = new Random(23);
        int rounds = 3;
        int failedTeams = 0;
        int completeTeams = 0;
        for (int round = 0; round < rounds; round++) {
            Round set = newRound("x", false, 10, random);
            // Every team past its end, its members read before.
            for (String team : set.teams()) {
                jdbc.update(
                        "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                                + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 2 MINUTE WHERE team_id = ?",
                        team);
            }
            List<String> expiring = new ArrayList<>(set.teams());
            Collections.shuffle(expiring, random);
            Tally tally = new Tally(set.read());
            Future<Integer> fe = race(set, tally, () -> {
                int expired = 0;
                for (String team : expiring) {
                    expired += timeouts.expireTeamNow(team) ? 1 : 0;
                }
                return expired;
            });
            Map<String, Integer> paidNotices = tally.paidNotices;
            Map<String, Integer> completions = tally.completions;
            fe.get();
            for (String name : set.names()) {
                int status = orderStatus(name);
                assertThat(paidNotices.getOrDefault(name, 0))
                        .as("round " + round + " " + name + ": paid notices of an order in status " + status)
                        .isEqualTo(status == 1 ? 1 : 0);
            }
            for (int t = 0; t < set.teams().size(); t++) {
                String team = set.teams().get(t);
                Map<String, Object> row = teamCounts(team);
                int status = ((Number) row.get("status")).intValue();
                assertThat(status)
                        .as("round " + round + " " + team + " complete or failed")
                        .isIn(1, 2);
                assertThat(((Number) row.get("complete_count")).longValue())
                        .as(team + " counts its paid members")
                        .isEqualTo(((Number) row.get("paid")).longValue());
                if (status == 1) {
                    completeTeams++;
                    assertThat(row.get("paid")).as(team).isEqualTo(3L);
                    assertThat(completions.get("x" + t))
                            .as(team + " completed once")
                            .isEqualTo(1);
                    assertThat(callbacks(team))
                            .as(team)
                            .isEqualTo(List.of("s01/c01 -> partner0 " + List.of(members("x", t))));
                } else {
                    failedTeams++;
                    assertThat(completions.get("x" + t))
                            .as(team + " never completed")
                            .isNull();
                    assertThat(callbacks(team)).as(team).isEmpty();
                    assertThat(jdbc.queryForObject(
                                    "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 0",
                                    Integer.class,
                                    team))
                            .as(team + " no order left locked")
                            .isZero();
                }
            }
        }
        System.out.println("expiry race: rounds=" + rounds + " teams complete=" + completeTeams + " failed="
                + failedTeams + " batches fallen back=" + fallbacks);
    }

    /**
     * A paid member's refund (over HTTP) races two writers' overlapping batches paying its team's other two members:
     * either the refund comes first (the team stays open, its count its paid members, no callback) or the batch does
     * (the team completes with one callback listing all three, whatever the refund then does); every settlement
     * answered paid has its order paid, by one notice.
     */
    @Test
    void batchesRacingAPaidMembersRefundCountTheTeamExactly() throws Exception {
        Random random = new Random(29);
        int rounds = 3;
        int refundFirst = 0;
        int completedFirst = 0;
        for (int round = 0; round < rounds; round++) {
            Round set = newRound("y", true, 8, random);
            Tally tally = new Tally(set.read());
            Future<Integer> fr = race(set, tally, () -> {
                int refunded = 0;
                for (int t = 0; t < 5; t++) {
                    refunded +=
                            "0000".equals(refund(0, "y" + t + "a").path("code").asText()) ? 1 : 0;
                }
                return refunded;
            });
            Map<String, Integer> paidNotices = tally.paidNotices;
            Map<String, Integer> completions = tally.completions;
            assertThat(fr.get()).as("every refund answered 0000").isEqualTo(5);
            for (String name : set.names()) {
                int status = orderStatus(name);
                if (paidNotices.containsKey(name)
                        || set.aBatch().contains(name)
                        || set.bBatch().contains(name)) {
                    assertThat(paidNotices.getOrDefault(name, 0))
                            .as("round " + round + " " + name + ": paid notices of an order in status " + status)
                            .isEqualTo(status == 1 ? 1 : 0);
                }
            }
            for (int t = 0; t < set.teams().size(); t++) {
                String team = set.teams().get(t);
                Map<String, Object> row = teamCounts(team);
                int status = ((Number) row.get("status")).intValue();
                List<String> callbacks = callbacks(team);
                if (status == 0) {
                    refundFirst++;
                    assertThat(((Number) row.get("complete_count")).longValue())
                            .as("round " + round + " " + team + " open: counts its paid members " + row)
                            .isEqualTo(((Number) row.get("paid")).longValue());
                    assertThat(completions.get("y" + t))
                            .as(team + " never completed")
                            .isNull();
                    assertThat(callbacks).as(team).isEmpty();
                } else {
                    completedFirst++;
                    assertThat(completions.get("y" + t))
                            .as(team + " completed once " + row)
                            .isEqualTo(1);
                    assertThat(callbacks)
                            .as(team + " " + row)
                            .isEqualTo(List.of("s01/c01 -> partner0 [y" + t + "a, y" + t + "b, y" + t + "c]"));
                }
            }
        }
        System.out.println("refund race: rounds=" + rounds + " refund first=" + refundFirst + " completed first="
                + completedFirst + " batches fallen back=" + fallbacks);
    }

    /**
     * A race round's set-up: a fresh activity with five teams of three ({@link #members}, partner 0), each team's first
     * member settled alone first when {@code firstPaidAlone}; every member left to pay read, then two overlapping
     * batches of {@code batchSize} of them drawn by {@code random} (the first batch's shuffle, then the second's).
     */
    private Round newRound(String prefix, boolean firstPaidAlone, int batchSize, Random random) throws Exception {
        newActivity();
        List<String> teams = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            String[] members = members(prefix, t);
            teams.add(team(0, members));
            if (firstPaidAlone) {
                assertThat(settle(0, members[0]).path("code").asText()).isEqualTo("0000");
                names.addAll(List.of(members[1], members[2]));
            } else {
                names.addAll(List.of(members));
            }
        }
        Map<String, MemberOrderView> read = new LinkedHashMap<>();
        for (String name : names) {
            read.put(name, view(0, name));
        }
        List<String> a = new ArrayList<>(names);
        List<String> b = new ArrayList<>(names);
        Collections.shuffle(a, random);
        Collections.shuffle(b, random);
        return new Round(teams, names, read, a.subList(0, batchSize), b.subList(0, batchSize));
    }

    /** Team {@code t}'s members of a round, by name: {@code <prefix><t>a}, {@code …b}, {@code …c}. */
    private static String[] members(String prefix, int t) {
        return new String[] {prefix + t + "a", prefix + t + "b", prefix + t + "c"};
    }

    /**
     * A round's teams (the t-th holds {@code members(prefix, t)}), the members left to pay as read before the
     * batches, and the two batches.
     */
    private record Round(
            List<String> teams,
            List<String> names,
            Map<String, MemberOrderView> read,
            List<String> aBatch,
            List<String> bBatch) {}

    /**
     * The round's two batches, by {@link #first} and {@link #second}, and {@code alongside}, all at once; once both
     * batches are done, what they answered is in {@code tally}. Returns {@code alongside}'s future.
     */
    private <T> Future<T> race(Round set, Tally tally, Callable<T> alongside) throws Exception {
        Future<List<Object>> fa = pool.submit(batch(first, set.aBatch(), set.read()));
        Future<List<Object>> fb = pool.submit(batch(second, set.bBatch(), set.read()));
        Future<T> other = pool.submit(alongside);
        tally.add(set.aBatch(), fa.get());
        tally.add(set.bBatch(), fb.get());
        return other;
    }

    /** One scenario on fresh teams, written by {@code writer}, described so two writers' results compare. */
    private Map<String, Object> scenario(SettlementBatchWriter writer) throws Exception {
        newActivity();
        Map<String, String> teams = new LinkedHashMap<>();
        teams.put("P", team(0, "a1", "a2", "a3"));
        teams.put("Q", team(1, "b1", "b2", "b3"));
        teams.put("C", team(0, "c1", "c2", "c3"));
        teams.put("R", team(0, "r1", "r2", "r3"));
        teams.put("F", team(0, "f1", "f2", "f3"));
        teams.put("S", team(0, "s1", "s2", "s3"));
        List<String> names = List.of(
                "a1", "a2", "a3", "b1", "b2", "b3", "b1", "c1", "c2", "c3", "r1", "r2", "r3", "f1", "f2", "s1", "s2",
                "s3");
        Map<String, MemberOrderView> read = new LinkedHashMap<>();
        for (String name : names) {
            read.put(name, view(name.startsWith("b") ? 1 : 0, name));
        }
        // Between the reads and the batch: s1 settled alone, r2 refunded, the F team failed, the C team's paid count
        // raised to 2 of 3 (one place for three payments).
        assertThat(settle(0, "s1").path("code").asText()).isEqualTo("0000");
        assertThat(refund(0, "r2").path("code").asText()).isEqualTo("0000");
        jdbc.update("UPDATE group_buy_order SET status = 2 WHERE team_id = ?", teams.get("F"));
        jdbc.update("UPDATE group_buy_order SET complete_count = 2 WHERE team_id = ?", teams.get("C"));

        List<Object> outcomes = batch(writer, names, read).call();
        assertThat(outcomes).as("the batch was written").isNotNull();
        Map<String, Object> described = new TreeMap<>();
        Map<String, List<String>> byTeam = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            String team =
                    names.get(i).substring(0, 1).toUpperCase().replace("A", "P").replace("B", "Q");
            byTeam.computeIfAbsent(team, k -> new ArrayList<>()).add(kind(outcomes.get(i)));
        }
        byTeam.forEach((team, kinds) -> {
            Collections.sort(kinds);
            described.put(team + " outcomes", kinds);
        });
        // Members named by their rank in order id order (ids differ per run; both writers pay a team's payments in
        // that order, so the one of C's three that pays is its lowest id); orders listed by name, C's by order id.
        for (Map.Entry<String, String> team : teams.entrySet()) {
            described.put(team.getKey() + " team", teamRow(team.getValue()));
            described.put(team.getKey() + " callbacks", callbacks(team.getValue(), ranks(team.getValue())));
            described.put(
                    team.getKey() + " orders",
                    jdbc.queryForList(
                            "SELECT status FROM group_buy_order_list WHERE team_id = ? ORDER BY "
                                    + (team.getKey().equals("C") ? "order_id" : "user_id"),
                            Integer.class,
                            team.getValue()));
        }
        return described;
    }

    private SettlementBatchWriter writer(boolean payTogether) {
        return new SettlementBatchWriter(dao, notifyTasks, transaction, taskDao, payTogether);
    }

    /** The batch's outcomes in order, or null when the batch failed (rolled back: each is then written alone). */
    private Callable<List<Object>> batch(
            SettlementBatchWriter writer, List<String> names, Map<String, MemberOrderView> read) {
        TeamPayment payment = new TeamPayment(routes);
        return () -> {
            List<SettlementWrite> writes = new ArrayList<>();
            for (String name : names) {
                writes.add(new SettlementWrite(read.get(name), command(read.get(name)), payment, null));
            }
            List<SettlementOutcome> written;
            try {
                written = writer.write(writes);
            } catch (RuntimeException e) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (SettlementOutcome outcome : written) {
                out.add(outcome.refused() ? "refused" : outcome.owed() == null ? "paid" : outcome.owed());
            }
            return out;
        };
    }

    /** The settlement written alone (group commit is off in this context), as after a failed batch. */
    private Object alone(MemberOrderView read) {
        try {
            OwedCallback owed = settlements.settle(read, command(read), new TeamPayment(routes), null);
            return owed == null ? "paid" : owed;
        } catch (AppException e) {
            return "refused";
        }
    }

    private static String kind(Object outcome) {
        return outcome instanceof OwedCallback ? "completed" : (String) outcome;
    }

    private SettleCommand command(MemberOrderView read) {
        return SettleCommand.builder()
                .source(read.getSource())
                .channel(read.getChannel())
                .userId(read.getUserId())
                .outTradeNo(read.getOutTradeNo())
                .outTradeTime(Instant.now().minusSeconds(1))
                .build();
    }

    private String teamRow(String teamId) {
        Map<String, Object> row = teamCounts(teamId);
        return "status=" + row.get("status") + " count=" + row.get("complete_count") + " paid=" + row.get("paid");
    }

    /** The team's status and complete count, and {@code paid}: how many of its orders are paid. */
    private Map<String, Object> teamCounts(String teamId) {
        return jdbc.queryForMap(
                "SELECT o.status, o.complete_count, (SELECT COUNT(*) FROM group_buy_order_list l "
                        + "WHERE l.team_id = o.team_id AND l.status = 1) AS paid "
                        + "FROM group_buy_order o WHERE o.team_id = ?",
                teamId);
    }

    private int orderStatus(String name) {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE user_id = ?", Integer.class, user(name));
    }

    /** The team's members' names, each to "#k", its rank in order id order. */
    private Map<String, String> ranks(String teamId) {
        Map<String, String> ranks = new LinkedHashMap<>();
        List<String> users = jdbc.queryForList(
                "SELECT user_id FROM group_buy_order_list WHERE team_id = ? ORDER BY order_id", String.class, teamId);
        for (int k = 0; k < users.size(); k++) {
            ranks.put(users.get(k).replace("-" + activityId, ""), "#" + (k + 1));
        }
        return ranks;
    }

    /** The team's completion callbacks: whose, to which partner server, listing which members (by name). */
    private List<String> callbacks(String teamId) throws Exception {
        return callbacks(teamId, Map.of());
    }

    /** As {@link #callbacks(String)}, each member's name renamed by {@code names} where it has one. */
    private List<String> callbacks(String teamId, Map<String, String> names) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> task : jdbc.queryForList(
                "SELECT source, channel, notify_url, parameter_json FROM notify_task "
                        + "WHERE team_id = ? AND notify_category = 'trade_settlement' ORDER BY id",
                teamId)) {
            String url = (String) task.get("notify_url");
            String server = url.equals(partners[0].url("/cb").toString())
                    ? "partner0"
                    : url.equals(partners[1].url("/cb").toString()) ? "partner1" : url;
            List<String> members = new ArrayList<>();
            for (JsonNode no :
                    TestJson.JSON.readTree((String) task.get("parameter_json")).path("outTradeNoList")) {
                String name = no.asText().replace("out-", "").replace("-" + activityId, "");
                members.add(names.getOrDefault(name, name));
            }
            Collections.sort(members);
            out.add(task.get("source") + "/" + task.get("channel") + " -> " + server + " " + members);
        }
        return out;
    }

    private void newActivity() {
        activityId = ACTIVITY.incrementAndGet();
        new MarketConfigFixture(jdbc).goods("g" + activityId, activityId, "ZJ", "20", "100.00");
        // The second partner sells the same goods through the same activity (its own teams).
        jdbc.update(
                "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES ('s02', 'c02', ?, ?)",
                "g" + activityId,
                activityId);
    }

    private String user(String name) {
        return name + "-" + activityId;
    }

    private String outTradeNo(String name) {
        return "out-" + user(name);
    }

    private static String source(int partner) {
        return partner == 0 ? "s01" : "s02";
    }

    private static String channel(int partner) {
        return partner == 0 ? "c01" : "c02";
    }

    private MemberOrderView view(int partner, String name) {
        return settlements.queryOrder(
                new PartnerOrderKey(source(partner), channel(partner), user(name), outTradeNo(name)));
    }

    private String team(int partner, String... names) throws Exception {
        String teamId = "";
        for (String name : names) {
            JsonNode answer = TestJson.postEnvelope(
                    port,
                    "/api/v1/gbm/trade/lock_market_pay_order",
                    "{\"userId\":\"" + user(name) + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                            + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"" + source(partner)
                            + "\",\"channel\":\"" + channel(partner) + "\",\"outTradeNo\":\"" + outTradeNo(name)
                            + "\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\""
                            + partners[partner].url("/cb") + "\"}}");
            assertThat(answer.path("code").asText()).as(name + " " + answer).isEqualTo("0000");
            teamId = answer.path("data").path("teamId").asText();
        }
        return teamId;
    }

    private JsonNode settle(int partner, String name) throws Exception {
        return TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/settlement_market_pay_order",
                "{\"source\":\"" + source(partner) + "\",\"channel\":\"" + channel(partner) + "\",\"userId\":\""
                        + user(name) + "\",\"outTradeNo\":\"" + outTradeNo(name) + "\",\"outTradeTime\":\""
                        + LocalDateTime.now(ZoneId.of("Asia/Shanghai"))
                                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                        + "\"}");
    }

    private JsonNode refund(int partner, String name) throws Exception {
        return TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/refund_market_pay_order",
                "{\"userId\":\"" + user(name) + "\",\"outTradeNo\":\"" + outTradeNo(name) + "\",\"source\":\""
                        + source(partner) + "\",\"channel\":\"" + channel(partner) + "\"}");
    }

    /**
     * What a round's batches answered: paid notices per member, completions per team (its name's first two letters);
     * a batch that threw (null) is written alone, member by member, as group commit does, and counted as a fallback
     * ({@link #fallbacks}, the test's).
     */
    private final class Tally {
        final Map<String, Integer> paidNotices = new TreeMap<>();
        final Map<String, Integer> completions = new TreeMap<>();
        final Map<String, MemberOrderView> read;

        Tally(Map<String, MemberOrderView> read) {
            this.read = read;
        }

        void add(List<String> who, List<Object> answers) {
            List<Object> what = answers;
            if (what == null) {
                fallbacks++;
                what = new ArrayList<>();
                for (String name : who) {
                    what.add(alone(read.get(name)));
                }
            }
            for (int i = 0; i < who.size(); i++) {
                String kind = kind(what.get(i));
                if (!kind.equals("refused")) {
                    paidNotices.merge(who.get(i), 1, Integer::sum);
                }
                if (kind.equals("completed")) {
                    completions.merge(who.get(i).substring(0, 2), 1, Integer::sum);
                }
            }
        }
    }
}
