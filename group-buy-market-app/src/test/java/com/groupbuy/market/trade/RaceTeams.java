package com.groupbuy.market.trade;

import static com.groupbuy.market.trade.RaceRounds.answered;
import static com.groupbuy.market.trade.RaceRounds.call;
import static com.groupbuy.market.trade.RaceRounds.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The trade race ITs' teams: their set-up (a team opened and partly or fully paid), the moves that put a team or a lock
 * past its time, and the rounds CrossUseCaseRaceIT and TwoInstanceRaceIT both race. A round names two sides, {@code a}
 * and {@code b}: the same instance in CrossUseCaseRaceIT, two instances of one deployment in TwoInstanceRaceIT, so
 * each racer's side is the race's instance split.
 */
final class RaceTeams {

    private final JdbcTemplate jdbc;
    private final TeamCounts counts;

    RaceTeams(JdbcTemplate jdbc, TeamCounts counts) {
        this.jdbc = jdbc;
        this.counts = counts;
    }

    /** A team of p+a, p+b and p+c opened on {@code opener}, p+a paid on {@code payerOfA}, p+b on {@code payerOfB}. */
    static String twoOfThreePaid(TradeClient opener, TradeClient payerOfA, TradeClient payerOfB, String p)
            throws Exception {
        String teamId = opener.team(p + "a", p + "b", p + "c");
        assertThat(code(payerOfA.settle(p + "a"))).isEqualTo("0000");
        assertThat(code(payerOfB.settle(p + "b"))).isEqualTo("0000");
        return teamId;
    }

    /** A team of the users opened on {@code opener}, every one paid on {@code payer}. */
    static String allPaid(TradeClient opener, TradeClient payer, String... users) throws Exception {
        String teamId = opener.team(users);
        for (String user : users) {
            assertThat(code(payer.settle(user))).isEqualTo("0000");
        }
        return teamId;
    }

    /** Puts the user's lock 10 minutes back: past the races' 5-minute unpaid timeout. */
    void overdue(String user) {
        jdbc.update(
                "UPDATE group_buy_order_list SET create_time = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE user_id = ?",
                user);
    }

    /** Puts the team's window 15 to 2 minutes back: ended, a payment 5 minutes ago inside it. */
    void ended(String teamId) {
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                        + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 2 MINUTE WHERE team_id = ?",
                teamId);
    }

    /**
     * Moves the team's end 2 to 26 ms from now (by the round); returns how long after the start line the racer that
     * expires the team waits: about the end, a few milliseconds before or after it.
     */
    long endSoon(int run, String teamId) {
        long endInMillis = 2 + (run * 3L) % 25;
        jdbc.update(
                "UPDATE group_buy_order SET valid_end_time = UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND "
                        + "WHERE team_id = ?",
                endInMillis * 1000,
                teamId);
        return Math.max(0, endInMillis - 3 + run % 7);
    }

    /**
     * A notice of p+a outside the window (on b) racing one inside it (on a), and p+c's notice on both, p+b paid
     * before: p+a and p+c pay, the late notice is recorded only when answered E0106, the team completes.
     */
    void aNoticeOutsideTheWindowRacingOneInsideIt(int run, String p, TradeClient a, TradeClient b) throws Exception {
        String teamId = a.team(p + "a", p + "b", p + "c");
        assertThat(code(b.settle(p + "b"))).isEqualTo("0000");
        String inWindow = TradeClient.now();
        List<JsonNode> answers = Race.run(
                4,
                i -> call(() -> switch (i) {
                    case 0 -> a.settle(p + "a", inWindow);
                    case 1 -> b.settle(p + "a", "2020-01-01 00:00:00");
                    case 2 -> b.settle(p + "c", inWindow);
                    default -> a.settle(p + "c", inWindow);
                }));
        answered(run, answers, 0, "0000");
        String outside = answered(run, answers, 1, "0000", "E0106");
        answered(run, answers, 2, "0000");
        answered(run, answers, 3, "0000");
        RaceRounds.lateOnlyWhenAnswered(counts, run, p + "a", outside, "E0106", answers);
        assertThat(counts.team(teamId)).as("run %d %s", run, answers).containsEntry("status", 1);
        RaceRounds.checkTeam(jdbc, counts, run, teamId);
    }

    /**
     * A user's refund (on b) racing its new lock (on a), its lock again into its old team (on b) and another's join (on
     * a): the refund succeeds, the user holds one live take at most (the new lock's), the places hold.
     */
    void aLockAndARefundOfOneUser(int run, String p, TradeClient a, TradeClient b) throws Exception {
        String u = p + "u";
        String teamId = a.team(p + "a", u);
        List<JsonNode> answers = Race.run(
                4,
                i -> call(() -> switch (i) {
                    case 0 -> b.refund(u);
                    case 1 -> a.lock(u, "", "out-" + u + "-2");
                    case 2 -> b.lock(u, teamId, "out-" + u);
                    default -> a.lock(p + "z", teamId);
                }));
        RaceRounds.refundSucceeded(run, answers, 0);
        String newLock = answered(run, answers, 1, "0000", "E0103");
        answered(run, answers, 2, "0000", "E0202");
        answered(run, answers, 3, "0000");
        int live = jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ? AND status IN (0, 1)", Integer.class, u);
        assertThat(live).as("run %d: the user's live takes %s", run, answers).isLessThanOrEqualTo(1);
        assertThat(live).as("run %d: the new lock's answer %s", run, answers).isEqualTo(newLock.equals("0000") ? 1 : 0);
        RaceRounds.checkTeam(jdbc, counts, run, teamId);
        if (newLock.equals("0000")) {
            RaceRounds.checkTeam(
                    jdbc,
                    counts,
                    run,
                    answers.get(1).path("data").path("teamId").asText());
        }
    }

    /**
     * Joins of the last place (p+c on a, p+d on b) and the payments of its two members (p+a on b, p+b on a) as
     * {@code expiring} expires the team about its end: {@link RaceRounds#lastPlaceAsTheTeamEnds}.
     */
    void theLastPlaceTakenAsTheTeamEnds(int run, String p, TradeClient a, TradeClient b, TradeTimeoutService expiring)
            throws Exception {
        String teamId = a.team(p + "a", p + "b");
        long expireAfter = endSoon(run, teamId);
        String paidAt = TradeClient.now();
        List<JsonNode> answers = Race.run(5, i -> {
            if (i == 4) {
                Thread.sleep(expireAfter);
                return BooleanNode.valueOf(expiring.expireTeamNow(teamId));
            }
            return call(() -> switch (i) {
                case 0 -> a.lock(p + "c", teamId);
                case 1 -> b.lock(p + "d", teamId);
                case 2 -> b.settle(p + "a", paidAt);
                default -> a.settle(p + "b", paidAt);
            });
        });
        RaceRounds.lastPlaceAsTheTeamEnds(jdbc, counts, run, teamId, answers, p + "c", p + "d");
    }

    /**
     * The payment (on a) and the refund (on b) of a team's last member, past the unpaid timeout, as each of the
     * {@code closing} timeout jobs runs: the order ends refunded, late only when its payment answered E0208, a paid
     * order's refund is paid_formed, the team completed once exactly when paid.
     */
    void aPaymentARefundAndTheTimeoutCloseOfOneOrder(
            int run, String p, TradeClient a, TradeClient b, TradeTimeoutService... closing) throws Exception {
        String teamId = twoOfThreePaid(a, a, b, p);
        overdue(p + "c");
        List<JsonNode> answers = Race.run(2 + closing.length, i -> switch (i) {
            case 0 -> call(() -> a.settle(p + "c"));
            case 1 -> call(() -> b.refund(p + "c"));
            default ->
                TestJson.JSON.valueToTree(closing[i - 2].execTimeoutCloseJob().toString());
        });
        String settled = answered(run, answers, 0, "0000", "E0208");
        answered(run, answers, 1, "0000");
        assertThat(counts.orderStatus(p + "c")).as("run %d %s", run, answers).isEqualTo(2);
        RaceRounds.lateOnlyWhenAnswered(counts, run, p + "c", settled, "E0208", answers);
        if (settled.equals("0000")) {
            assertThat(answers.get(1).path("data").path("info").asText())
                    .as("run %d: a paid order's refund %s", run, answers)
                    .startsWith("paid_formed");
        }
        RaceRounds.completedOnlyWhenPaid(counts, run, teamId, settled, answers);
        RaceRounds.checkTeam(jdbc, counts, run, teamId);
    }

    /**
     * Every paid member of a formed team refunded twice, once on a and once on b:
     * {@link RaceRounds#formedTeamRefundedOnce}.
     */
    void everyPaidMemberOfAFormedTeamRefunded(int run, String p, TradeClient a, TradeClient b) throws Exception {
        String[] users = {p + "a", p + "b", p + "c"};
        String teamId = allPaid(a, b, users);
        List<JsonNode> answers = Race.run(6, i -> call(() -> (i < 3 ? a : b).refund(users[i % 3])));
        RaceRounds.formedTeamRefundedOnce(counts, run, teamId, answers);
    }
}
