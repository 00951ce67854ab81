package com.groupbuy.market.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.model.ModelPartner.Acknowledged;
import com.groupbuy.market.model.TradeModel.Expected;
import com.groupbuy.market.model.TradeModel.Key;
import com.groupbuy.market.model.TradeModel.Order;
import com.groupbuy.market.model.TradeModel.Paid;
import com.groupbuy.market.model.TradeModel.Team;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A seeded random walk over the trade flows of one app, checked step by step against {@link TradeModel}, on the real
 * MariaDB, Redis and HTTP callback receivers. Three partners (s01/c01, s02/c02, s03/c03) sell one goods through one
 * activity (teams of 3, two live orders a user); each step is a lock (new team, join, repeat, another partner's lock of
 * the same number), a settlement (own, repeated, another partner's, unknown; paid now, three minutes ago, or for a
 * team that ended two seconds before or after its end), a refund, time passing (a team's window ending 10 s ago —
 * inside the 60 s expiry grace — or 120 s ago, past it, a complete team's included; a team in its grace passing it; a
 * lock aging past the unpaid timeout — rows moved back, never a wait), the timeout job, a team's close check (as the
 * delay path's consumer runs it), a partner's receiver answering success / 500 / nothing, the compensation run, a
 * team's Redis counter knocked off by one and the place reconciler run, or requests at once: two (a settlement or a
 * refund racing the timeout job or a team's close check among them), or three to four on a team one place short of its
 * target (two joins for the last place, a member paying, and a refund, the timeout job, a reconcile or another lock),
 * judged against every serial order of them. After every step: the exact envelope and the code the model says; each
 * order's and team's state, counts and Redis places as the model has them and moved only along design §4's
 * transitions; the outbox's tasks exactly the completions and refund callbacks owed, each the team's partner's at its
 * own URL; no callback acknowledged twice, none reaching another partner; and, from the database alone, where each
 * buyer's money is (kept or given back, exactly once, never both; no member left locked in a team that ended; no
 * team above its target). At the end of a sequence the receivers
 * recover and the compensation run drains: each completed team's partner was told exactly once, each closed order's
 * partner got exactly its refund callback.
 *
 * <p>{@code -Dmodel.seeds=200} runs 200 sequences (default 2, about ten seconds), {@code -Dmodel.steps=N} of N steps
 * each (default 60); {@code -Dmodel.seed=N} replays one. A failure names its seed and the steps that led to it.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=5m",
            "gbm.timeout.expiry-grace=60s",
            "gbm.notify.read-timeout=300ms",
            "gbm.notify.jitter=0",
            // corrections at once, not 30 s after a team's row last changed: the walk's reconcile steps judge each
            "gbm.places.quiet-period=0s"
        })
class TradeModelIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final List<String> PARTNERS = List.of("s01:c01", "s02:c02", "s03:c03");
    private static final AtomicInteger ACTIVITY = new AtomicInteger(31000);
    private static final int STEPS = Integer.getInteger("model.steps", 60);
    private static final AtomicInteger MQ_PENDING = new AtomicInteger();
    private static final Map<String, Integer> ANSWERS = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** How long ago a team in its expiry grace (60 s here) ended: far from the grace's end either way. */
    private static final int GRACE_END_AGO = 10;

    private static final ModelPartner A = new ModelPartner("test_secret");
    private static final ModelPartner B = new ModelPartner("test_secret_b");
    private static final ModelPartner C = new ModelPartner("test_secret_c");

    @DynamicPropertySource
    static void partners(DynamicPropertyRegistry registry) {
        registry.add("gbm.notify.refund-urls.s01.c01", A::refundUrl);
        registry.add("gbm.notify.refund-urls.s02.c02", B::refundUrl);
        registry.add("gbm.notify.secrets.s02.c02", () -> "test_secret_b");
        registry.add("gbm.notify.refund-urls.s03.c03", C::refundUrl);
        registry.add("gbm.notify.secrets.s03.c03", () -> "test_secret_c");
    }

    @AfterAll
    static void closePartners() {
        A.close();
        B.close();
        C.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamPlaceReservation places;

    @Autowired
    TradeTimeoutService timeoutService;

    @Autowired
    DueCallbackDeliveryService deliveries;

    @Autowired
    TeamPlaceReconciler reconciler;

    @Autowired
    RedissonClient redisson;

    @Test
    void randomTradeSequencesKeepToTheModel() throws Exception {
        String replay = System.getProperty("model.seed");
        if (replay != null) {
            new Sequence(Long.parseLong(replay)).run();
            return;
        }
        int seeds = Integer.getInteger("model.seeds", 2);
        long first = Long.getLong("model.firstSeed", 1);
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (long seed = first; seed < first + seeds; seed++) {
            try {
                new Sequence(seed).run();
            } catch (AssertionError failure) {
                // every failing seed of the run is reported, each replayable on its own
                failures.add(failure.getMessage());
            }
        }
        System.out.printf(
                "TradeModelIT: %d sequences of %d steps in %d ms, %d failed%n",
                seeds, STEPS, (System.nanoTime() - started) / 1_000_000, failures.size());
        System.out.println("TradeModelIT answers: " + ANSWERS + "; MQ tasks not done after the drains: " + MQ_PENDING);
        if (!failures.isEmpty()) {
            throw new AssertionError(
                    failures.size() + " of " + seeds + " sequences failed:\n\n" + String.join("\n\n", failures));
        }
    }

    private static ModelPartner partner(String partner) {
        return switch (partner) {
            case "s01:c01" -> A;
            case "s02:c02" -> B;
            default -> C;
        };
    }

    /** One seeded sequence on an activity and users of its own. */
    private final class Sequence {

        private final long seed;
        private final Random random;
        private TradeModel model = new TradeModel();
        private final List<String> trace = new ArrayList<>();
        private final long activityId = ACTIVITY.incrementAndGet();
        private final String goodsId = "g" + activityId;
        private final Map<String, Integer> lastOrderStatus = new HashMap<>();
        private final Map<String, Integer> lastTeamStatus = new HashMap<>();
        /** The window end the walk gave each team it ended. */
        private final Map<String, Instant> ends = new HashMap<>();
        /** Checking after requests that ran at once: a team may have passed through COMPLETE between two checks. */
        private boolean severalAtOnce;
        /** The teams two or more joins of the requests running at once name. */
        private Set<String> joinedAtOnce = Set.of();

        Sequence(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void run() throws Exception {
            A.reset();
            B.reset();
            C.reset();
            MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
            fixture.goods(goodsId, activityId, "ZJ", "20", "100.00");
            fixture.soldThrough("s02", "c02", goodsId, activityId);
            fixture.soldThrough("s03", "c03", goodsId, activityId);
            jdbc.update(
                    "UPDATE group_buy_activity SET take_limit_count = ?, target = ? WHERE activity_id = ?",
                    TradeModel.TAKE_LIMIT,
                    TradeModel.TARGET,
                    activityId);
            try {
                for (int step = 0; step < STEPS; step++) {
                    step();
                    check();
                }
                drain();
                check();
                checkCallbacksExactlyOnce();
            } catch (Throwable failure) {
                throw new AssertionError(
                        "seed " + seed + " (replay: -Dmodel.seed=" + seed + "), activity " + activityId + ", steps:\n  "
                                + String.join("\n  ", trace) + "\n" + failure.getMessage(),
                        failure);
            }
        }

        /** What was sent and acknowledged for this sequence's teams, to read beside a failure. */
        private String callbackRecord() {
            StringBuilder record = new StringBuilder("tasks and attempts:\n");
            jdbc.queryForList(
                            "SELECT t.id, t.task_key, t.notify_type, t.notify_status, t.notify_count, "
                                    + "(SELECT GROUP_CONCAT(CONCAT(a.attempt_no, '@', a.attempt_time, ':', "
                                    + "COALESCE(a.http_status, '-'), '/', a.success, '/', COALESCE(a.error, '')) "
                                    + "ORDER BY a.attempt_no SEPARATOR ' ; ') FROM notify_attempt a "
                                    + "WHERE a.task_id = t.id) AS attempts FROM notify_task t "
                                    + "JOIN group_buy_order g ON g.team_id = t.team_id WHERE g.activity_id = ?",
                            activityId)
                    .forEach(row -> record.append("  ").append(row).append('\n'));
            record.append("acknowledged:\n");
            for (String partner : PARTNERS) {
                for (Acknowledged callback : partner(partner).acknowledged()) {
                    if (callback.body() != null
                            && model.teams.containsKey(
                                    callback.body().path("teamId").asText())) {
                        record.append("  ")
                                .append(partner)
                                .append(' ')
                                .append(callback)
                                .append('\n');
                    }
                }
            }
            return record.toString();
        }

        // --- steps

        private void step() throws Exception {
            keepGraceTeamsInTheirGrace();
            int pick = random.nextInt(118);
            if (pick < 30) {
                lock(randomKey(), randomTeamParam());
            } else if (pick < 36) {
                repeatLock();
            } else if (pick < 41) {
                otherPartnersLockOfTheSameNumber();
            } else if (pick < 63) {
                settle(random.nextInt(10) == 0 ? unknownKey() : someKey());
            } else if (pick < 75) {
                refund(random.nextInt(10) == 0 ? unknownKey() : someKey());
            } else if (pick < 80) {
                teamEnds();
            } else if (pick < 84) {
                lockAges();
            } else if (pick < 88) {
                timeoutRun();
            } else if (pick < 92) {
                receiverAnswers();
            } else if (pick < 95) {
                concurrentPair();
            } else if (pick < 97) {
                trial(randomKey());
            } else if (pick < 100) {
                compensationRun();
            } else if (pick < 104) {
                fill();
            } else if (pick < 108) {
                crowd();
            } else if (pick < 112) {
                placesDrift();
            } else {
                teamCloseCheck();
            }
        }

        private Key randomKey() {
            return randomKey(PARTNERS.get(random.nextInt(PARTNERS.size())));
        }

        private Key randomKey(String partner) {
            int user = random.nextInt(4);
            return new Key(partner, "m" + seed + "u" + user, "m" + seed + "u" + user + "o" + random.nextInt(4));
        }

        /** An existing order's key, or a fresh one when there is none yet. */
        private Key someKey() {
            if (model.orders.isEmpty()) {
                return randomKey();
            }
            List<Key> keys = new ArrayList<>(model.orders.keySet());
            Key key = keys.get(random.nextInt(keys.size()));
            if (random.nextInt(8) == 0) {
                // another partner naming the same user and number: never this order
                return new Key(other(key.partner()), key.userId(), key.outTradeNo());
            }
            return key;
        }

        /** One of the other partners. */
        private String other(String partner) {
            List<String> others =
                    PARTNERS.stream().filter(p -> !p.equals(partner)).toList();
            return others.get(random.nextInt(others.size()));
        }

        private Key unknownKey() {
            return new Key(PARTNERS.get(random.nextInt(PARTNERS.size())), "m" + seed + "u0", "nobody" + seed);
        }

        private String randomTeamParam() {
            int pick = random.nextInt(10);
            if (pick < 4 || model.teams.isEmpty()) {
                return "";
            }
            if (pick == 9) {
                return "99999999";
            }
            List<String> teamIds = new ArrayList<>(model.teams.keySet());
            return teamIds.get(random.nextInt(teamIds.size()));
        }

        private void repeatLock() throws Exception {
            if (model.orders.isEmpty()) {
                lock(randomKey(), "");
                return;
            }
            Order order = anyOrder();
            String teamParam = switch (random.nextInt(4)) {
                case 0 -> "";
                case 1 -> randomTeamParam();
                default -> order.openedTeam ? "" : order.teamId;
            };
            lock(order.key, teamParam);
        }

        private void otherPartnersLockOfTheSameNumber() throws Exception {
            if (model.orders.isEmpty()) {
                lock(randomKey(), "");
                return;
            }
            Key key = anyOrder().key;
            lock(new Key(other(key.partner()), key.userId(), key.outTradeNo()), "");
        }

        private void lock(Key key, String teamParam) throws Exception {
            run(new LockCall(key, teamParam));
        }

        private void settle(Key key) throws Exception {
            Order order = model.orders.get(key);
            Team team = order == null ? null : model.teams.get(order.teamId);
            Paid paid;
            if (team != null && team.ended) {
                paid = Paid.values()[random.nextInt(Paid.values().length)];
            } else {
                paid = random.nextInt(4) == 0 ? Paid.THREE_MINUTES_AGO : Paid.NOW;
            }
            run(new SettleCall(key, paid));
        }

        private void refund(Key key) throws Exception {
            run(new RefundCall(key));
        }

        private void run(Call call) throws Exception {
            trace.add(call.describe(model));
            JsonNode answer = call.send();
            count(call, answer);
            call.judge(model, answer);
        }

        /** Tallies the answers of the run by request and code, to show what the walks reached. */
        private void count(Call call, JsonNode answer) {
            String name = call instanceof JobCall job
                    ? job.name
                    : call.getClass().getSimpleName().replace("Call", "").toLowerCase(java.util.Locale.ROOT);
            if (call instanceof SettleCall settle && settle.paid != Paid.NOW) {
                name += " " + settle.paid.name().toLowerCase(java.util.Locale.ROOT);
            }
            if (call instanceof TeamCheckCall) {
                ANSWERS.merge(name + " " + answer.asText(), 1, Integer::sum);
                return;
            }
            String code = answer.path("code").asText("-")
                    + (answer.path("data").has("code")
                            ? "/" + answer.path("data").path("code").asText()
                            : "");
            ANSWERS.merge(name + " " + code, 1, Integer::sum);
        }

        /**
         * Requests at once: their answers must be those of one of the serial orders they could have run in, and the
         * state that order leaves is the model from here on.
         */
        private void together(Call... calls) throws Exception {
            List<Call> all = List.of(calls);
            trace.add("together: "
                    + String.join(
                            " | ", all.stream().map(c -> c.describe(model)).toList()));
            ExecutorService pool = Executors.newFixedThreadPool(all.size());
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<JsonNode>> sent = new ArrayList<>();
                for (Call call : all) {
                    sent.add(pool.submit(() -> {
                        start.await();
                        return call.send();
                    }));
                }
                start.countDown();
                List<JsonNode> answers = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    answers.add(sent.get(i).get());
                    count(all.get(i), answers.get(i));
                }
                Map<String, Integer> joins = new HashMap<>();
                for (Call call : all) {
                    if (call instanceof LockCall lock && !lock.teamParam.isEmpty()) {
                        joins.merge(lock.teamParam, 1, Integer::sum);
                    }
                }
                joinedAtOnce = new java.util.HashSet<>();
                joins.forEach((teamId, n) -> {
                    if (n > 1) {
                        joinedAtOnce.add(teamId);
                    }
                });
                List<String> misses = new ArrayList<>();
                List<TradeModel> candidates = new ArrayList<>();
                for (List<Integer> order : orders(all.size())) {
                    TradeModel tried = model.copy();
                    try {
                        for (int i : order) {
                            all.get(i).judge(tried, answers.get(i));
                        }
                        candidates.add(tried);
                    } catch (AssertionError miss) {
                        misses.add("order " + order + ": " + miss.getMessage());
                    }
                }
                trace.add("  answered "
                        + String.join(
                                " | ", answers.stream().map(String::valueOf).toList()));
                TradeModel before = model;
                severalAtOnce = true;
                for (TradeModel candidate : candidates) {
                    // several orders may answer alike: the one whose state the service holds is the one that ran
                    model = candidate;
                    try {
                        check();
                        return;
                    } catch (AssertionError miss) {
                        misses.add("state: " + miss.getMessage());
                    }
                }
                model = before;
                throw new AssertionError(
                        "no serial order of the " + all.size() + " gives these answers and this state: " + misses);
            } finally {
                severalAtOnce = false;
                joinedAtOnce = Set.of();
                pool.shutdownNow();
            }
        }

        /** Every order of 0..n-1. */
        private static List<List<Integer>> orders(int n) {
            if (n == 0) {
                return List.of(List.of());
            }
            List<List<Integer>> all = new ArrayList<>();
            for (List<Integer> shorter : orders(n - 1)) {
                for (int at = 0; at <= shorter.size(); at++) {
                    List<Integer> longer = new ArrayList<>(shorter);
                    longer.add(at, n - 1);
                    all.add(longer);
                }
            }
            return all;
        }

        /** An open team with time left and a place, filled by joins of its partner's users up to one place short. */
        private Team teamOnePlaceShort() throws Exception {
            List<Team> open = model.teams.values().stream()
                    .filter(t -> t.status == 0 && !t.ended && t.lockCount > 0 && t.lockCount < TradeModel.TARGET)
                    .toList();
            if (open.isEmpty()) {
                return null;
            }
            Team team = open.get(random.nextInt(open.size()));
            for (int tries = 0; tries < 4 && team.lockCount < TradeModel.TARGET - 1; tries++) {
                lock(randomKey(team.partner), team.teamId);
            }
            return team.status == 0 && team.lockCount == TradeModel.TARGET - 1 ? team : null;
        }

        /** Joins by the team's partner's users until it is full (or refused): full teams and their refusals are met. */
        private void fill() throws Exception {
            Team team = teamOnePlaceShort();
            if (team == null) {
                trace.add("fill: no open team with a place");
                return;
            }
            lock(randomKey(team.partner), team.teamId);
            if (team.lockCount == TradeModel.TARGET) {
                lock(randomKey(team.partner), team.teamId);
            }
        }

        /**
         * Three or four requests at once on a team one place short of its target: two joins for the last place, a
         * member paying (perhaps the payment completing it), and a refund, the timeout job or a place reconcile.
         */
        private void crowd() throws Exception {
            Team team = teamOnePlaceShort();
            if (team == null) {
                concurrentPair();
                return;
            }
            List<Call> calls = new ArrayList<>();
            calls.add(new LockCall(randomKey(team.partner), team.teamId));
            calls.add(new LockCall(randomKey(team.partner), team.teamId));
            List<Order> members =
                    model.members(team).stream().filter(o -> o.status != 2).toList();
            List<Order> unpaid = members.stream().filter(o -> o.status == 0).toList();
            if (!unpaid.isEmpty()) {
                calls.add(new SettleCall(unpaid.get(random.nextInt(unpaid.size())).key, Paid.NOW));
            }
            switch (random.nextInt(4)) {
                case 0 -> calls.add(new RefundCall(members.get(random.nextInt(members.size())).key));
                case 1 -> calls.add(timeoutJob());
                case 2 -> calls.add(placeReconcile());
                default -> {
                    if (calls.size() < 3) {
                        calls.add(new LockCall(randomKey(team.partner), ""));
                    }
                }
            }
            java.util.Collections.shuffle(calls, random);
            together(calls.toArray(Call[]::new));
        }

        /**
         * A team's Redis counter left off by a crash (a reservation never written, or a release run twice), then the
         * reconciler's sweep or its look at the one team: the counter must be the database's again, nothing else moved.
         */
        private void placesDrift() throws Exception {
            List<Team> open =
                    model.teams.values().stream().filter(t -> t.status == 0).toList();
            if (open.isEmpty()) {
                run(placeReconcile());
                return;
            }
            Team team = open.get(random.nextInt(open.size()));
            int off = team.lockCount > 0 && random.nextBoolean() ? -1 : 1;
            trace.add("team " + team.teamId + " counter off by " + off);
            redisson.getMap(places.key(team.teamId), StringCodec.INSTANCE).addAndGet("n", off);
            // the sweep reads teams still in their window only: an ended team's counter refuses no one
            if (random.nextBoolean() && !team.ended) {
                run(placeReconcile());
            } else {
                trace.add("reconcile team " + team.teamId + ": " + reconciler.reconcileTeam(team.teamId));
            }
        }

        private void concurrentPair() throws Exception {
            if (model.orders.isEmpty()) {
                lock(randomKey(), "");
                return;
            }
            Order order = anyOrder();
            Team team = model.teams.get(order.teamId);
            switch (random.nextInt(10)) {
                case 0 -> together(new SettleCall(order.key, Paid.NOW), new RefundCall(order.key));
                case 1 -> together(new SettleCall(order.key, paidInside(team)), timeoutJob());
                case 2 -> together(new RefundCall(order.key), timeoutJob());
                case 3 -> {
                    // two members paying at once, perhaps the team's last two
                    List<Order> unpaid = model.members(team).stream()
                            .filter(o -> o.status == 0)
                            .toList();
                    Order other = unpaid.isEmpty() ? order : unpaid.get(random.nextInt(unpaid.size()));
                    together(new SettleCall(order.key, paidInside(team)), new SettleCall(other.key, paidInside(team)));
                }
                case 4 -> together(new LockCall(randomKey(), order.teamId), new LockCall(randomKey(), order.teamId));
                case 5 -> {
                    Key fresh = randomKey();
                    together(new LockCall(fresh, ""), new LockCall(fresh, ""));
                }
                case 6 -> together(new RefundCall(order.key), new RefundCall(order.key));
                case 7 -> together(new LockCall(randomKey(), order.teamId), new RefundCall(order.key));
                // a payment made before the team's end racing its close check (the grace is for it), or a refund
                case 8 -> together(new SettleCall(order.key, paidInside(team)), new TeamCheckCall(team.teamId));
                default -> together(new RefundCall(order.key), new TeamCheckCall(team.teamId));
            }
        }

        /** A payment time inside the team's window: now while it runs, before its end once it ended. */
        private Paid paidInside(Team team) {
            if (!team.ended) {
                return Paid.NOW;
            }
            return random.nextBoolean() ? Paid.THREE_MINUTES_AGO : Paid.JUST_BEFORE_THE_END;
        }

        /**
         * The partner's trial of the goods for a user: its statistic counts only the partner's own teams, and the teams
         * it offers are the partner's, open, with a member and time left, and (but the user's own) a place left.
         */
        private void trial(Key key) throws Exception {
            trace.add("trial " + key);
            String[] pair = key.partner().split(":");
            JsonNode answer = TestJson.postEnvelope(
                    port,
                    "/api/v1/gbm/index/query_group_buy_market_config",
                    "{\"userId\":\"" + key.userId() + "\",\"source\":\"" + pair[0] + "\",\"channel\":\"" + pair[1]
                            + "\",\"goodsId\":\"" + goodsId + "\"}");
            expectCode(answer, "0000");
            List<Team> own = model.teams.values().stream()
                    .filter(t -> t.partner.equals(key.partner()))
                    .toList();
            JsonNode statistic = answer.path("data").path("teamStatistic");
            expectEqual("trial allTeamCount", statistic.path("allTeamCount").asInt(), own.size());
            expectEqual(
                    "trial allTeamCompleteCount",
                    statistic.path("allTeamCompleteCount").asInt(),
                    own.stream().filter(t -> t.status == 1 || t.status == 3).count());
            expectEqual(
                    "trial allTeamUserCount",
                    statistic.path("allTeamUserCount").asInt(),
                    own.stream().mapToInt(t -> t.lockCount).sum());
            Set<String> usersTeams = new java.util.HashSet<>();
            model.orders.values().stream()
                    .filter(o -> o.key.partner().equals(key.partner())
                            && o.key.userId().equals(key.userId()))
                    .filter(o -> o.status != 2)
                    .forEach(o -> usersTeams.add(o.teamId));
            int offered = 0;
            for (JsonNode listed : answer.path("data").path("teamList")) {
                String teamId = listed.path("teamId").asText();
                Team team = model.teams.get(teamId);
                if (team == null || !team.partner.equals(key.partner())) {
                    throw new AssertionError("the trial offered a team not the partner's: " + listed);
                }
                expectEqual("listed team " + teamId + " status", team.status, 0);
                expectEqual(
                        "listed team " + teamId + " lockCount",
                        listed.path("lockCount").asInt(),
                        team.lockCount);
                expectEqual(
                        "listed team " + teamId + " completeCount",
                        listed.path("completeCount").asInt(),
                        team.completeCount);
                if (!usersTeams.contains(teamId)) {
                    offered++;
                    if (team.ended || team.lockCount == 0 || team.lockCount >= TradeModel.TARGET) {
                        throw new AssertionError("the trial offered a team no one can join: " + listed);
                    }
                }
            }
            long joinable = own.stream()
                    .filter(t -> t.status == 0 && !t.ended && t.lockCount > 0 && t.lockCount < TradeModel.TARGET)
                    .filter(t -> !usersTeams.contains(t.teamId))
                    .count();
            if (joinable > 0 && offered == 0) {
                throw new AssertionError("the trial offered none of " + joinable + " joinable teams: " + answer);
            }
        }

        /** POSTs the partner's request about the key's order: source, channel, user, number, and the fields given. */
        private JsonNode post(String path, Key key, String moreFields) throws Exception {
            String[] pair = key.partner().split(":");
            return TestJson.postEnvelope(
                    port,
                    path,
                    "{\"source\":\"" + pair[0] + "\",\"channel\":\"" + pair[1] + "\",\"userId\":\"" + key.userId()
                            + "\",\"outTradeNo\":\"" + key.outTradeNo() + "\""
                            + (moreFields == null ? "" : "," + moreFields) + "}");
        }

        /** A request of the walk: sent to the service, then judged (and applied) on a model. */
        private interface Call {
            String describe(TradeModel on);

            JsonNode send() throws Exception;

            /** Throws when the answer is not what {@code on} says; else applies its effect to {@code on}. */
            void judge(TradeModel on, JsonNode answer);
        }

        private final class LockCall implements Call {
            private final Key key;
            private final String teamParam;

            LockCall(Key key, String teamParam) {
                this.key = key;
                this.teamParam = teamParam;
            }

            @Override
            public String describe(TradeModel on) {
                return "lock " + key + " team '" + teamParam + "' -> expect "
                        + on.lock(key, teamParam).code();
            }

            @Override
            public JsonNode send() throws Exception {
                return post(
                        LOCK,
                        key,
                        "\"teamId\":\"" + teamParam + "\",\"activityId\":" + activityId + ",\"goodsId\":\"" + goodsId
                                + "\",\"notifyUrl\":\"" + partner(key.partner()).successUrl() + "\"");
            }

            @Override
            public void judge(TradeModel on, JsonNode answer) {
                Expected expected = on.lock(key, teamParam);
                Team named = on.teams.get(teamParam);
                boolean full = named != null && named.lockCount >= TradeModel.TARGET;
                if (full
                        && Set.of("E0006", "E0103").contains(expected.code())
                        && Set.of("E0006", "E0008").contains(answer.path("code").asText())) {
                    // a join racing another for the last place: both saw it free in the database, the Redis
                    // reservation refused the later one (docs/api.md: E0008 when none is left); when the winner was
                    // the same user's, its take limit was reached too, and either refusal is true
                    expectNoData(answer);
                    return;
                }
                if (expected.code().equals("0000")
                        && joinedAtOnce.contains(teamParam)
                        && answer.path("code").asText().equals("E0008")
                        && named.lockCount == TradeModel.TARGET - 1) {
                    // the last place was in flight for another join at once that then failed (its number already an
                    // order, say) and gave it back: a join Redis refuses while the last place is in flight stays
                    // refused (docs/design.md, issue 19; PlaceRefusalReconcileIT), and nothing changed
                    expectNoData(answer);
                    return;
                }
                expectCode(answer, expected.code());
                if (!expected.code().equals("0000")) {
                    expectNoData(answer);
                    return;
                }
                JsonNode data = answer.path("data");
                String orderId = data.path("orderId").asText();
                String teamId = data.path("teamId").asText();
                Order existing = on.orders.get(key);
                if (existing != null) {
                    expectEqual("the repeat's orderId", orderId, existing.orderId);
                    expectEqual("the repeat's teamId", teamId, existing.teamId);
                } else if (!teamParam.isEmpty()) {
                    expectEqual("the joined team", teamId, teamParam);
                } else if (on.teams.containsKey(teamId)) {
                    throw new AssertionError("a new team reused team id " + teamId + ": " + answer);
                }
                expectEqual("payPrice", data.path("payPrice").decimalValue().compareTo(new BigDecimal("80")), 0);
                expectEqual("tradeOrderStatus", data.path("tradeOrderStatus").asText(), "0");
                on.locked(key, orderId, teamId);
            }
        }

        private final class SettleCall implements Call {
            private final Key key;
            private final Paid paid;

            SettleCall(Key key, Paid paid) {
                this.key = key;
                this.paid = paid;
            }

            @Override
            public String describe(TradeModel on) {
                return "settle " + key + (paid == Paid.NOW ? "" : " paid " + paid) + " -> expect "
                        + on.settle(key, paid).code();
            }

            @Override
            public JsonNode send() throws Exception {
                return post(SETTLE, key, "\"outTradeTime\":" + outTradeTime());
            }

            /** Either wire shape: "yyyy-MM-dd HH:mm:ss" in UTC+8, or epoch milliseconds. */
            private String outTradeTime() {
                Order order = model.orders.get(key);
                Instant end = order == null ? null : ends.get(order.teamId);
                Instant paid = switch (this.paid) {
                    case NOW -> Instant.now();
                    case THREE_MINUTES_AGO -> Instant.now().minusSeconds(180);
                    case JUST_BEFORE_THE_END -> end.minusSeconds(2);
                    case JUST_AFTER_THE_END -> end.plusSeconds(2);
                };
                if (key.outTradeNo().hashCode() % 2 == 0) {
                    return String.valueOf(paid.toEpochMilli());
                }
                return "\""
                        + paid.atZone(ZoneId.of("Asia/Shanghai"))
                                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                        + "\"";
            }

            @Override
            public void judge(TradeModel on, JsonNode answer) {
                Expected expected = on.settle(key, paid);
                expectCode(answer, expected.code());
                if (!expected.code().equals("0000")) {
                    expectNoData(answer);
                    return;
                }
                Order order = on.orders.get(key);
                JsonNode data = answer.path("data");
                expectEqual("settlement userId", data.path("userId").asText(), key.userId());
                expectEqual("settlement outTradeNo", data.path("outTradeNo").asText(), key.outTradeNo());
                expectEqual("settlement teamId", data.path("teamId").asText(), order.teamId);
                expectEqual("settlement activityId", data.path("activityId").asText(), String.valueOf(activityId));
                on.settled(key);
            }
        }

        private final class RefundCall implements Call {
            private final Key key;

            RefundCall(Key key) {
                this.key = key;
            }

            @Override
            public String describe(TradeModel on) {
                Expected expected = on.refund(key);
                return "refund " + key + " -> expect " + expected.code() + " " + expected.refundCode();
            }

            @Override
            public JsonNode send() throws Exception {
                return post(REFUND, key, null);
            }

            @Override
            public void judge(TradeModel on, JsonNode answer) {
                Expected expected = on.refund(key);
                expectCode(answer, expected.code());
                if (!expected.code().equals("0000")) {
                    expectNoData(answer);
                    return;
                }
                Order order = on.orders.get(key);
                JsonNode data = answer.path("data");
                expectEqual("refund code", data.path("code").asText(), expected.refundCode());
                expectEqual("refund orderId", data.path("orderId").asText(), order.orderId);
                expectEqual("refund teamId", data.path("teamId").asText(), order.teamId);
                on.refunded(key);
            }
        }

        /**
         * A job the service runs on its own (the timeout job, the place reconciler's sweep): it answers nothing a
         * partner sees, so any answer is the model's run of it.
         */
        private final class JobCall implements Call {
            private final String name;
            private final java.util.function.Supplier<Object> job;
            private final java.util.function.Consumer<TradeModel> effect;

            JobCall(
                    String name,
                    java.util.function.Supplier<Object> job,
                    java.util.function.Consumer<TradeModel> effect) {
                this.name = name;
                this.job = job;
                this.effect = effect;
            }

            @Override
            public String describe(TradeModel on) {
                return name;
            }

            @Override
            public JsonNode send() {
                return TestJson.JSON.valueToTree(String.valueOf(job.get()));
            }

            @Override
            public void judge(TradeModel on, JsonNode answer) {
                effect.accept(on);
            }
        }

        /**
         * A team's delayed close check as its consumer runs it ({@link TradeTimeoutService#checkTeamNow}, the call
         * {@code CloseCheckService} makes for a team check): it must fail the team exactly when the model says it is
         * open past its end + grace, and tell a team still in its grace from one no longer open.
         */
        private final class TeamCheckCall implements Call {
            private final String teamId;

            TeamCheckCall(String teamId) {
                this.teamId = teamId;
            }

            @Override
            public String describe(TradeModel on) {
                return "close check of team " + teamId + " -> expect " + expected(on);
            }

            private String expected(TradeModel on) {
                Team team = on.teams.get(teamId);
                if (team.status != 0) {
                    return "closed";
                }
                return team.due ? "failed" : "waiting";
            }

            @Override
            public JsonNode send() {
                TradeTimeoutService.TeamCheck check = timeoutService.checkTeamNow(teamId);
                return TestJson.JSON.valueToTree(
                        check.failed() ? "failed" : check.dueAt() != null ? "waiting" : "closed");
            }

            @Override
            public void judge(TradeModel on, JsonNode answer) {
                expectEqual("close check of team " + teamId, answer.asText(), expected(on));
                on.expire(on.teams.get(teamId));
            }
        }

        private JobCall timeoutJob() {
            return new JobCall("timeout job", timeoutService::execTimeoutCloseJob, TradeModel::timeoutRun);
        }

        /** A sweep of the place reconciler: it corrects counters only, so the model is as it was. */
        private JobCall placeReconcile() {
            return new JobCall(
                    "place reconcile",
                    () -> reconciler.reconcile(0, 1, Instant.now().plusSeconds(10)),
                    on -> {});
        }

        /**
         * Time passes for a team (mostly an open one; a complete one's end changes nothing): its window ends, 10 s ago
         * (inside the 60 s expiry grace: open for payments made before its end) or 120 s ago (past the grace: due to
         * fail); a team in its grace passes it. Its window's rows moved back, never a wait.
         */
        private void teamEnds() {
            List<Team> notDue = model.teams.values().stream()
                    .filter(t -> !t.due && (t.status == 0 || random.nextInt(4) == 0))
                    .toList();
            if (notDue.isEmpty()) {
                trace.add("team ends: none open");
                return;
            }
            Team team = notDue.get(random.nextInt(notDue.size()));
            boolean pastGrace = team.ended || random.nextBoolean();
            endTeam(team, pastGrace ? 120 : GRACE_END_AGO);
            team.ended = true;
            team.due = pastGrace;
        }

        /** Moves the team's window to have ended {@code secondsAgo} (a whole second), begun 15 minutes before now. */
        private void endTeam(Team team, int secondsAgo) {
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant end = now.minusSeconds(secondsAgo);
            trace.add("team " + team.teamId + " (status " + team.status + ") ended " + secondsAgo + " s ago");
            jdbc.update(
                    "UPDATE group_buy_order SET valid_start_time = COALESCE(?, valid_start_time), valid_end_time = ? "
                            + "WHERE team_id = ?",
                    ends.containsKey(team.teamId) ? null : java.sql.Timestamp.from(now.minusSeconds(900)),
                    java.sql.Timestamp.from(end),
                    team.teamId);
            ends.put(team.teamId, end);
        }

        /**
         * A team in its grace stays there while the walk runs: one whose end is getting near the grace's (a slow
         * sequence) is moved to have ended {@value #GRACE_END_AGO} s ago again, so the model's "not yet due" holds.
         */
        private void keepGraceTeamsInTheirGrace() {
            Instant near = Instant.now().minusSeconds(GRACE_END_AGO + 30);
            for (Team team : model.teams.values()) {
                if (team.ended && !team.due && ends.get(team.teamId).isBefore(near)) {
                    endTeam(team, GRACE_END_AGO);
                }
            }
        }

        /** A team's close check (the delay path's consumer asks the same of the service), judged by the model. */
        private void teamCloseCheck() throws Exception {
            if (model.teams.isEmpty()) {
                lock(randomKey(), "");
                return;
            }
            List<Team> teams = new ArrayList<>(model.teams.values());
            List<Team> ended = teams.stream().filter(t -> t.ended).toList();
            List<Team> from = ended.isEmpty() || random.nextInt(4) == 0 ? teams : ended;
            run(new TeamCheckCall(from.get(random.nextInt(from.size())).teamId));
        }

        private void lockAges() {
            List<Order> unpaid = model.orders.values().stream()
                    .filter(o -> o.status == 0 && !o.aged)
                    .toList();
            if (unpaid.isEmpty()) {
                trace.add("lock ages: none unpaid");
                return;
            }
            Order order = unpaid.get(random.nextInt(unpaid.size()));
            trace.add("order " + order.orderId + " " + order.key + " locked 10 min ago");
            jdbc.update(
                    "UPDATE group_buy_order_list SET create_time = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE "
                            + "WHERE order_id = ?",
                    order.orderId);
            order.aged = true;
        }

        private void timeoutRun() throws Exception {
            run(timeoutJob());
        }

        private void receiverAnswers() {
            String partner = PARTNERS.get(random.nextInt(PARTNERS.size()));
            ModelPartner.Answer answer = ModelPartner.Answer.values()[random.nextInt(3)];
            trace.add("receiver of " + partner + " answers " + answer);
            partner(partner).answer(answer);
        }

        private void compensationRun() {
            makeTasksDue();
            trace.add("compensation run: " + deliveries.deliverAllDue());
        }

        /** The receivers recover and the compensation run goes on until every callback was acknowledged. */
        private void drain() throws Exception {
            A.answer(ModelPartner.Answer.SUCCESS);
            B.answer(ModelPartner.Answer.SUCCESS);
            C.answer(ModelPartner.Answer.SUCCESS);
            trace.add("receivers recover; drain");
            long deadline = System.currentTimeMillis() + 20_000;
            while (pendingHttpTasks() > 0) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("callbacks still pending after 20 s: "
                            + jdbc.queryForList(
                                    "SELECT t.id, t.team_id, t.notify_category, t.notify_status, "
                                            + "t.notify_count, t.claim_until, t.last_error FROM notify_task t "
                                            + "JOIN group_buy_order g ON g.team_id = t.team_id "
                                            + "WHERE g.activity_id = ? AND t.notify_type = 'HTTP' AND t.notify_status <> 1",
                                    activityId));
                }
                makeTasksDue();
                deliveries.deliverAllDue();
                Thread.sleep(50);
            }
            MQ_PENDING.addAndGet(jdbc.queryForObject(
                    "SELECT COUNT(*) FROM notify_task t JOIN group_buy_order g ON g.team_id = t.team_id "
                            + "WHERE g.activity_id = ? AND t.notify_type <> 'HTTP' AND t.notify_status <> 1",
                    Integer.class,
                    activityId));
        }

        private int pendingHttpTasks() {
            return jdbc.queryForObject(
                    "SELECT COUNT(*) FROM notify_task t JOIN group_buy_order g ON g.team_id = t.team_id "
                            + "WHERE g.activity_id = ? AND t.notify_type = 'HTTP' AND t.notify_status <> 1",
                    Integer.class,
                    activityId);
        }

        private void makeTasksDue() {
            for (int attempt = 1; ; attempt++) {
                try {
                    jdbc.update("UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND "
                            + "WHERE notify_status IN (0, 2)");
                    return;
                } catch (org.springframework.dao.PessimisticLockingFailureException busy) {
                    // the harness's own write met the service's claims: a deadlock of ours, tried again
                    if (attempt == 5) {
                        throw busy;
                    }
                }
            }
        }

        // --- checks after every step

        private void check() {
            checkOrders();
            checkTeams();
            checkCallbacksAtMostOnce();
            checkTasks();
            checkMoney();
        }

        /**
         * Where each buyer's money is, read from the database alone (not from the model): an order paid at some time
         * (its {@code out_trade_time}) is either kept — paid, in a team not failed, no refund task — or given back —
         * exactly one refund task of a paid category, the order closed or its team failed — never both, never twice;
         * an order never paid has at most its one {@code unpaid_unlock} task, and only once closed. A team ended
         * (failed, or complete with or without a refund) has no member left locked; each of its paid members has its
         * callback exactly once: the team's one completion task when complete, its refund task when failed. No team
         * counts more payers than its target.
         */
        private void checkMoney() {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT l.order_id, l.team_id, l.status, l.out_trade_time IS NOT NULL AS paid, g.status AS team, "
                            + "g.complete_count, g.target_count, "
                            + "(SELECT COUNT(*) FROM notify_task t WHERE t.team_id = l.team_id "
                            + "AND t.notify_category = 'trade_settlement') AS completions, "
                            + "(SELECT GROUP_CONCAT(t.notify_category ORDER BY t.id) FROM notify_task t "
                            + "WHERE t.team_id = l.team_id AND t.notify_type = 'HTTP' "
                            + "AND t.task_key = CONCAT(l.team_id, ':', t.notify_category, ':', l.order_id)) AS refunds "
                            + "FROM group_buy_order_list l JOIN group_buy_order g ON g.team_id = l.team_id "
                            + "WHERE l.activity_id = ?",
                    activityId);
            for (Map<String, Object> row : rows) {
                int status = ((Number) row.get("status")).intValue();
                int team = ((Number) row.get("team")).intValue();
                boolean paid = ((Number) row.get("paid")).intValue() == 1;
                String refunds = (String) row.get("refunds");
                List<String> refundTasks = refunds == null ? List.of() : List.of(refunds.split(","));
                boolean paidRefund = refundTasks.size() == 1
                        && Set.of("trade_paid2refund", "trade_paid_team2refund").contains(refundTasks.get(0));
                String broken = null;
                if (((Number) row.get("complete_count")).intValue() > ((Number) row.get("target_count")).intValue()) {
                    broken = "its team counts more payers than its target";
                } else if (status == 0 && (paid || !refundTasks.isEmpty() || team != 0)) {
                    broken = "a locked order paid, told of a refund, or in a team no longer open";
                } else if (status == 1 && team != 2 && !refundTasks.isEmpty()) {
                    broken = "a paid order kept by its team and given back too";
                } else if (status == 1
                        && team == 2
                        && !(paidRefund && refundTasks.get(0).equals("trade_paid2refund"))) {
                    broken = "a paid order of a failed team not given back exactly once (paid_unformed)";
                } else if (status == 1
                        && (team == 1 || team == 3)
                        && ((Number) row.get("completions")).intValue() != 1) {
                    broken = "a paid order of a complete team whose completion task is not there exactly once";
                } else if (status == 1 && !paid) {
                    broken = "a paid order with no payment time";
                } else if (status == 2 && paid && !paidRefund) {
                    broken = "a paid order closed but not given back exactly once";
                } else if (status == 2 && !paid && !refundTasks.equals(List.of("trade_unpaid2refund"))) {
                    broken = "an order closed unpaid not told exactly once (unpaid_unlock)";
                }
                if (broken != null) {
                    throw new AssertionError("money: " + broken + ": " + row);
                }
            }
        }

        /**
         * The outbox as the model has it: one completion task for each completed team and none for another, one HTTP
         * refund task of the right category for each order owed a refund callback and none for another, each task the
         * team's partner's and at that partner's own URL; every MQ task is the refund event of an owed refund.
         */
        private void checkTasks() {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT t.task_key, t.team_id, t.source, t.channel, t.notify_category, t.notify_type, "
                            + "t.notify_url FROM notify_task t WHERE t.team_id IN "
                            + "(SELECT g.team_id FROM group_buy_order g WHERE g.activity_id = ?)",
                    activityId);
            Map<String, String> completionTasks = new HashMap<>();
            Map<String, String> refundTasks = new HashMap<>();
            List<String> events = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                String teamId = (String) row.get("team_id");
                String key = (String) row.get("task_key");
                Team team = model.teams.get(teamId);
                String partner = row.get("source") + ":" + row.get("channel");
                if (team == null || !team.partner.equals(partner)) {
                    throw new AssertionError("a task not of its team's partner: " + row);
                }
                String category = (String) row.get("notify_category");
                if (!"HTTP".equals(row.get("notify_type"))) {
                    events.add(key);
                    continue;
                }
                String url = (String) row.get("notify_url");
                if (category.equals("trade_settlement")) {
                    expectEqual(
                            "completion task " + key + " URL",
                            url,
                            partner(partner).successUrl());
                    if (completionTasks.put(teamId, key) != null) {
                        throw new AssertionError("team " + teamId + " has two completion tasks: " + rows);
                    }
                } else {
                    expectEqual(
                            "refund task " + key + " URL", url, partner(partner).refundUrl());
                    String orderId = key.split(":")[2];
                    if (refundTasks.put(orderId, category) != null) {
                        throw new AssertionError("order " + orderId + " has two refund tasks: " + rows);
                    }
                }
            }
            for (Team team : model.teams.values()) {
                expectEqual(
                        "team " + team.teamId + " has a completion task",
                        completionTasks.containsKey(team.teamId),
                        team.completedWith != null);
            }
            Map<String, String> owed = new HashMap<>();
            for (Order order : model.orders.values()) {
                if (order.refundCallback != null) {
                    owed.put(
                            order.orderId,
                            switch (order.refundCallback) {
                                case "unpaid_unlock" -> "trade_unpaid2refund";
                                case "paid_unformed" -> "trade_paid2refund";
                                default -> "trade_paid_team2refund";
                            });
                }
            }
            expectEqual("refund tasks by order", new java.util.TreeMap<>(refundTasks), new java.util.TreeMap<>(owed));
            for (String event : events) {
                String[] parts = event.split(":");
                if (!event.endsWith(":mq") || !owed.containsKey(parts[2])) {
                    throw new AssertionError("an MQ task of no owed refund: " + event);
                }
            }
        }

        private void checkOrders() {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT source, channel, user_id, out_trade_no, order_id, team_id, status, out_trade_time "
                            + "FROM group_buy_order_list WHERE activity_id = ?",
                    activityId);
            expectEqual("order rows of the activity", rows.size(), model.orders.size());
            for (Map<String, Object> row : rows) {
                Key key = new Key(row.get("source") + ":" + row.get("channel"), (String) row.get("user_id"), (String)
                        row.get("out_trade_no"));
                Order order = model.orders.get(key);
                if (order == null) {
                    throw new AssertionError("an order the model does not have: " + row);
                }
                int status = ((Number) row.get("status")).intValue();
                expectEqual("order " + key + " id", row.get("order_id"), order.orderId);
                expectEqual("order " + key + " team", row.get("team_id"), order.teamId);
                Integer before = lastOrderStatus.put(order.orderId, status);
                if (before != null && !legalOrderMove(before, status)) {
                    throw new AssertionError("order " + key + " moved " + before + " -> " + status);
                }
                expectEqual("order " + key + " status", status, order.status);
                expectEqual("order " + key + " ever paid", row.get("out_trade_time") != null, order.everPaid);
            }
        }

        private void checkTeams() {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT g.team_id, g.source, g.channel, g.status, g.lock_count, g.complete_count, g.target_count, "
                            + "(SELECT COUNT(*) FROM group_buy_order_list l WHERE l.team_id = g.team_id "
                            + "AND l.status IN (0, 1)) AS live, "
                            + "(SELECT COUNT(*) FROM group_buy_order_list l WHERE l.team_id = g.team_id "
                            + "AND l.status = 1) AS paid "
                            + "FROM group_buy_order g WHERE g.activity_id = ?",
                    activityId);
            expectEqual("team rows of the activity", rows.size(), model.teams.size());
            List<String> teamIds =
                    rows.stream().map(r -> (String) r.get("team_id")).toList();
            Map<String, Integer> redis = places.places(teamIds);
            for (Map<String, Object> row : rows) {
                String teamId = (String) row.get("team_id");
                Team team = model.teams.get(teamId);
                if (team == null) {
                    throw new AssertionError("a team the model does not have: " + row);
                }
                int status = ((Number) row.get("status")).intValue();
                int lockCount = ((Number) row.get("lock_count")).intValue();
                int completeCount = ((Number) row.get("complete_count")).intValue();
                expectEqual("team " + teamId + " partner", row.get("source") + ":" + row.get("channel"), team.partner);
                Integer before = lastTeamStatus.put(teamId, status);
                boolean legal = legalTeamMove(before == null ? status : before, status)
                        || (severalAtOnce && legalTeamMove(before, 1) && legalTeamMove(1, status));
                if (!legal) {
                    throw new AssertionError("team " + teamId + " moved " + before + " -> " + status);
                }
                if (lockCount > ((Number) row.get("target_count")).intValue()) {
                    throw new AssertionError("team " + teamId + " over its target: " + row);
                }
                expectEqual("team " + teamId + " lock_count = its live members", lockCount, row.get("live"));
                expectEqual("team " + teamId + " complete_count = its paid members", completeCount, row.get("paid"));
                expectEqual("team " + teamId + " status", status, team.status);
                expectEqual("team " + teamId + " lock_count", lockCount, team.lockCount);
                expectEqual("team " + teamId + " complete_count", completeCount, team.completeCount);
                expectEqual("team " + teamId + " Redis places = its live locks", redis.get(teamId), lockCount);
            }
        }

        private void checkCallbacksAtMostOnce() {
            for (String partner : PARTNERS) {
                Map<String, Integer> completions = new HashMap<>();
                Map<String, Integer> refunds = new HashMap<>();
                for (Acknowledged callback : partner(partner).acknowledged()) {
                    if (!callback.signedWithOwnSecret()) {
                        throw new AssertionError(partner + " got a callback not signed with its secret: " + callback);
                    }
                    JsonNode body = callback.body();
                    String teamId = body.path("teamId").asText();
                    Team team = model.teams.get(teamId);
                    if (team == null) {
                        continue; // an earlier sequence's
                    }
                    if (!team.partner.equals(partner)) {
                        throw new AssertionError(partner + " was told of another partner's team: " + body);
                    }
                    if (callback.path().equals("/success")) {
                        if (team.completedWith == null) {
                            throw new AssertionError("a completion callback for a team never completed: " + body);
                        }
                        List<String> listed = new ArrayList<>();
                        body.path("outTradeNoList").forEach(n -> listed.add(n.asText()));
                        expectEqual("team " + teamId + " callback's list", sorted(listed), sorted(team.completedWith));
                        if (completions.merge(teamId, 1, Integer::sum) > 1 && !answerWasLost(teamId, null)) {
                            throw new AssertionError("team " + teamId + " completion acknowledged twice");
                        }
                    } else {
                        String orderId = body.path("orderId").asText();
                        Order order = model.orders.values().stream()
                                .filter(o -> o.orderId.equals(orderId))
                                .findFirst()
                                .orElseThrow(() -> new AssertionError("a refund callback of no order: " + body));
                        if (!order.key.partner().equals(partner)) {
                            throw new AssertionError(partner + " was told of another partner's order: " + body);
                        }
                        expectEqual(
                                "order " + orderId + " refund callback type",
                                body.path("type").asText(),
                                order.refundCallback);
                        expectEqual(
                                "refund callback outTradeNo",
                                body.path("outTradeNo").asText(),
                                order.key.outTradeNo());
                        if (refunds.merge(orderId, 1, Integer::sum) > 1 && !answerWasLost(teamId, orderId)) {
                            throw new AssertionError("order " + orderId + " refund callback acknowledged twice");
                        }
                    }
                }
            }
        }

        /**
         * Whether our side missed an answer of the task's (an attempt with no HTTP answer: the read timeout of a busy
         * machine): then the partner may get the callback again, as docs/api.md says, and deduplicates it.
         */
        private boolean answerWasLost(String teamId, String orderId) {
            return jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                    + "WHERE t.team_id = ? AND t.notify_type = 'HTTP' AND a.success = 0 "
                                    + "AND a.http_status IS NULL AND (? IS NULL AND t.notify_category = "
                                    + "'trade_settlement' OR t.task_key LIKE CONCAT('%:', ?))",
                            Integer.class, teamId, orderId, orderId)
                    > 0;
        }

        private void checkCallbacksExactlyOnce() {
            List<Map<String, Object>> notOnce = jdbc.queryForList(
                    "SELECT t.task_key, (SELECT COUNT(*) FROM notify_attempt a WHERE a.task_id = t.id AND a.success = 1) "
                            + "AS delivered FROM notify_task t JOIN group_buy_order g ON g.team_id = t.team_id "
                            + "WHERE g.activity_id = ? AND t.notify_type = 'HTTP' HAVING delivered <> 1",
                    activityId);
            if (!notOnce.isEmpty()) {
                throw new AssertionError("HTTP tasks not delivered exactly once: " + notOnce);
            }
            Set<String> toldTeams = new java.util.HashSet<>();
            Set<String> toldOrders = new java.util.HashSet<>();
            for (String partner : PARTNERS) {
                for (Acknowledged callback : partner(partner).acknowledged()) {
                    if (callback.path().equals("/success")) {
                        toldTeams.add(callback.body().path("teamId").asText());
                    } else {
                        toldOrders.add(callback.body().path("orderId").asText());
                    }
                }
            }
            for (Team team : model.teams.values()) {
                expectEqual(
                        "team " + team.teamId + " (completed: " + (team.completedWith != null)
                                + ") told of its completion",
                        toldTeams.contains(team.teamId),
                        team.completedWith != null);
            }
            for (Order order : model.orders.values()) {
                expectEqual(
                        "order " + order.orderId + " " + order.key + " told of its refund (" + order.refundCallback
                                + ")",
                        toldOrders.contains(order.orderId),
                        order.refundCallback != null);
            }
        }

        // --- helpers

        private Order anyOrder() {
            List<Order> orders = new ArrayList<>(model.orders.values());
            return orders.get(random.nextInt(orders.size()));
        }

        private void expectCode(JsonNode answer, String code) {
            if (!code.equals(answer.path("code").asText())) {
                throw new AssertionError("expected code " + code + ", got " + answer);
            }
        }

        private void expectNoData(JsonNode answer) {
            if (!answer.path("data").isNull()) {
                throw new AssertionError("a refusal with data: " + answer);
            }
        }

        private void expectEqual(String what, Object actual, Object expected) {
            Object a = actual instanceof Number n ? (Object) n.longValue() : actual;
            Object e = expected instanceof Number n ? (Object) n.longValue() : expected;
            if (!java.util.Objects.equals(a, e)) {
                throw new AssertionError(what + ": expected " + expected + ", was " + actual);
            }
        }
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    /** design §4: LOCKED → PAID → CLOSED, LOCKED → CLOSED; nothing leaves CLOSED. */
    static boolean legalOrderMove(int from, int to) {
        return from == to || (from == 0 && (to == 1 || to == 2)) || (from == 1 && to == 2);
    }

    /** design §4: OPEN → COMPLETE / FAILED, COMPLETE → COMPLETE_WITH_REFUND / FAILED, that → FAILED. */
    static boolean legalTeamMove(int from, int to) {
        return from == to
                || (from == 0 && (to == 1 || to == 2))
                || (from == 1 && (to == 3 || to == 2))
                || (from == 3 && to == 2);
    }
}
