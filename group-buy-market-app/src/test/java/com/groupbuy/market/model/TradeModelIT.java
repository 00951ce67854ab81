package com.groupbuy.market.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.model.ModelPartner.Acknowledged;
import com.groupbuy.market.model.TradeModel.Expected;
import com.groupbuy.market.model.TradeModel.Key;
import com.groupbuy.market.model.TradeModel.Order;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A seeded random walk over the trade flows of one app, checked step by step against {@link TradeModel}, on the real
 * MariaDB, Redis and HTTP callback receivers. Two partners (s01/c01, s02/c02) sell one goods through one activity
 * (teams of 3, two live orders a user); each step is a lock (new team, join, repeat, another partner's lock of the
 * same number), a settlement (own, repeated, another partner's, unknown), a refund, time passing (a team's window
 * ending past the grace, a lock aging past the unpaid timeout — rows moved back, never a wait), the timeout job, a
 * partner's receiver answering success / 500 / nothing, or the compensation run. After every step: the exact envelope
 * and the code the model says; each order's and team's state, counts and Redis places as the model has them and moved
 * only along design §4's transitions; no callback acknowledged twice, none reaching another partner. At the end of a
 * sequence the receivers recover and the compensation run drains: each completed team's partner was told exactly
 * once, each closed order's partner got exactly its refund callback.
 *
 * <p>{@code -Dmodel.seeds=200} runs 200 sequences (default 2, about ten seconds); {@code -Dmodel.seed=N} replays one.
 * A failure names its seed and the steps that led to it.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=5m",
            "gbm.timeout.expiry-grace=60s",
            "gbm.notify.read-timeout=300ms",
            "gbm.notify.jitter=0"
        })
class TradeModelIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final List<String> PARTNERS = List.of("s01:c01", "s02:c02");
    private static final AtomicInteger ACTIVITY = new AtomicInteger(31000);
    private static final int STEPS = 60;
    private static final AtomicInteger MQ_PENDING = new AtomicInteger();
    private static final Map<String, Integer> ANSWERS = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static final ModelPartner A = new ModelPartner("test_secret");
    private static final ModelPartner B = new ModelPartner("test_secret_b");

    @DynamicPropertySource
    static void partners(DynamicPropertyRegistry registry) {
        registry.add("gbm.notify.refund-urls.s01.c01", A::refundUrl);
        registry.add("gbm.notify.refund-urls.s02.c02", B::refundUrl);
        registry.add("gbm.notify.secrets.s02.c02", () -> "test_secret_b");
    }

    @AfterAll
    static void closePartners() {
        A.close();
        B.close();
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
        return partner.equals("s01:c01") ? A : B;
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

        Sequence(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void run() throws Exception {
            A.reset();
            B.reset();
            MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
            fixture.goods(goodsId, activityId, "ZJ", "20", "100.00");
            fixture.soldThrough("s02", "c02", goodsId, activityId);
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
            int pick = random.nextInt(100);
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
            } else {
                compensationRun();
            }
        }

        private Key randomKey() {
            String partner = PARTNERS.get(random.nextInt(2));
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

        private Key unknownKey() {
            return new Key(PARTNERS.get(random.nextInt(2)), "m" + seed + "u0", "nobody" + seed);
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
            run(new SettleCall(key, random.nextInt(4) == 0));
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
            String name = call.getClass().getSimpleName().replace("Call", "").toLowerCase(java.util.Locale.ROOT);
            String code = answer.path("code").asText("-")
                    + (answer.path("data").has("code")
                            ? "/" + answer.path("data").path("code").asText()
                            : "");
            ANSWERS.merge(name + " " + code, 1, Integer::sum);
        }

        /**
         * Two requests at once: their answers must be those of one of the two orders they could have run in, and the
         * state that order leaves is the model from here on.
         */
        private void together(Call first, Call second) throws Exception {
            trace.add("together: " + first.describe(model) + " | " + second.describe(model));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                Future<JsonNode> a = pool.submit(() -> {
                    start.await();
                    return first.send();
                });
                Future<JsonNode> b = pool.submit(() -> {
                    start.await();
                    return second.send();
                });
                start.countDown();
                JsonNode answerA = a.get();
                JsonNode answerB = b.get();
                count(first, answerA);
                count(second, answerB);
                List<String> misses = new ArrayList<>();
                List<TradeModel> candidates = new ArrayList<>();
                for (boolean firstFirst : List.of(true, false)) {
                    TradeModel tried = model.copy();
                    try {
                        if (firstFirst) {
                            first.judge(tried, answerA);
                            second.judge(tried, answerB);
                        } else {
                            second.judge(tried, answerB);
                            first.judge(tried, answerA);
                        }
                        candidates.add(tried);
                    } catch (AssertionError miss) {
                        misses.add((firstFirst ? "first first: " : "second first: ") + miss.getMessage());
                    }
                }
                trace.add("  answered " + answerA + " | " + answerB);
                TradeModel before = model;
                for (TradeModel candidate : candidates) {
                    // both orders may answer alike: the one whose state the service holds is the one that ran
                    model = candidate;
                    try {
                        check();
                        return;
                    } catch (AssertionError miss) {
                        misses.add("state: " + miss.getMessage());
                    }
                }
                model = before;
                throw new AssertionError("no serial order of the two gives these answers and this state: " + misses);
            } finally {
                pool.shutdownNow();
            }
        }

        private void concurrentPair() throws Exception {
            if (model.orders.isEmpty()) {
                lock(randomKey(), "");
                return;
            }
            Order order = anyOrder();
            Team team = model.teams.get(order.teamId);
            switch (random.nextInt(8)) {
                case 0 -> together(new SettleCall(order.key, false), new RefundCall(order.key));
                case 1 -> together(new SettleCall(order.key, team.ended), new TimeoutCall());
                case 2 -> together(new RefundCall(order.key), new TimeoutCall());
                case 3 -> {
                    // two members paying at once, perhaps the team's last two
                    List<Order> unpaid = model.members(team).stream()
                            .filter(o -> o.status == 0)
                            .toList();
                    Order other = unpaid.isEmpty() ? order : unpaid.get(random.nextInt(unpaid.size()));
                    together(new SettleCall(order.key, team.ended), new SettleCall(other.key, team.ended));
                }
                case 4 -> together(new LockCall(randomKey(), order.teamId), new LockCall(randomKey(), order.teamId));
                case 5 -> {
                    Key fresh = randomKey();
                    together(new LockCall(fresh, ""), new LockCall(fresh, ""));
                }
                case 6 -> together(new RefundCall(order.key), new RefundCall(order.key));
                default -> together(new LockCall(randomKey(), order.teamId), new RefundCall(order.key));
            }
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
                if (expected.code().equals("E0006")
                        && answer.path("code").asText().equals("E0008")) {
                    // a join racing another for the last place: both saw it free in the database, the Redis
                    // reservation refused the later one (docs/api.md: E0008 when none is left)
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
            private final boolean threeMinutesAgo;

            SettleCall(Key key, boolean threeMinutesAgo) {
                this.key = key;
                this.threeMinutesAgo = threeMinutesAgo;
            }

            @Override
            public String describe(TradeModel on) {
                return "settle " + key + (threeMinutesAgo ? " paid 3 min ago" : "") + " -> expect "
                        + on.settle(key, threeMinutesAgo).code();
            }

            @Override
            public JsonNode send() throws Exception {
                return post(SETTLE, key, "\"outTradeTime\":" + outTradeTime());
            }

            /** Either wire shape: "yyyy-MM-dd HH:mm:ss" in UTC+8, or epoch milliseconds. */
            private String outTradeTime() {
                Instant paid = Instant.now().minusSeconds(threeMinutesAgo ? 180 : 0);
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
                Expected expected = on.settle(key, threeMinutesAgo);
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

        /** The timeout job's run; it answers nothing a partner sees, so any answer is the model's run. */
        private final class TimeoutCall implements Call {
            @Override
            public String describe(TradeModel on) {
                return "timeout job";
            }

            @Override
            public JsonNode send() {
                return TestJson.JSON.valueToTree(
                        timeoutService.execTimeoutCloseJob().toString());
            }

            @Override
            public void judge(TradeModel on, JsonNode answer) {
                on.timeoutRun();
            }
        }

        private void teamEnds() {
            List<Team> open = model.teams.values().stream()
                    .filter(t -> t.status == 0 && !t.ended)
                    .toList();
            if (open.isEmpty()) {
                trace.add("team ends: none open");
                return;
            }
            Team team = open.get(random.nextInt(open.size()));
            trace.add("team " + team.teamId + " ended 120 s ago");
            jdbc.update(
                    "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                            + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 120 SECOND WHERE team_id = ?",
                    team.teamId);
            team.ended = true;
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
            run(new TimeoutCall());
        }

        private void receiverAnswers() {
            String partner = PARTNERS.get(random.nextInt(2));
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
        }

        private void checkOrders() {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT source, channel, user_id, out_trade_no, order_id, team_id, status "
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
                if (before != null && !legalTeamMove(before, status)) {
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

    private static String other(String partner) {
        return partner.equals("s01:c01") ? "s02:c02" : "s01:c01";
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
