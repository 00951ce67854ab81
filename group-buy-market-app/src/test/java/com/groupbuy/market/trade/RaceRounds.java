package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.groupbuy.market.support.TestJson;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the trade race ITs check after each round, and how they take a racer's answer. */
final class RaceRounds {

    private RaceRounds() {}

    /**
     * The team's counts equal its live and paid orders, within its target; one completion callback when it is complete
     * (or complete and then refunded), none otherwise; the Redis counter of an open team equals its places.
     */
    static void checkTeam(JdbcTemplate jdbc, TeamCounts counts, int run, String teamId) {
        Map<String, Object> team = counts.team(teamId);
        int lockCount = ((Number) team.get("lock_count")).intValue();
        assertThat(lockCount).as("run %d: within the target %s", run, team).isLessThanOrEqualTo(target(jdbc, teamId));
        assertThat(lockCount)
                .as("run %d: places held by live orders %s", run, team)
                .isEqualTo(rows(jdbc, teamId, "status IN (0, 1)"));
        assertThat(((Number) team.get("complete_count")).intValue())
                .as("run %d: paid orders %s", run, team)
                .isEqualTo(rows(jdbc, teamId, "status = 1"));
        int status = ((Number) team.get("status")).intValue();
        assertThat(counts.tasks(teamId, "trade_settlement"))
                .as("run %d: completion callbacks %s", run, team)
                .isEqualTo(status == 1 || status == 3 ? 1 : 0);
        if (status == 0) {
            assertThat(counts.redisPlaces(teamId))
                    .as("run %d: Redis places of an open team %s", run, team)
                    .isIn(-1, lockCount);
        }
    }

    /**
     * Racers 0 and 1 joined the team ({@code joiners[0]}, {@code joiners[1]}) as it ended, 2 and 3 paid two of its
     * members: at most one join took the last place, none answered E0005 (the team had a place; failed meanwhile, it is
     * E0206), each joiner has a row exactly when answered 0000, a failed team keeps no unpaid order, and
     * {@link #checkTeam}.
     */
    static void lastPlaceAsTheTeamEnds(
            JdbcTemplate jdbc, TeamCounts counts, int run, String teamId, List<JsonNode> answers, String... joiners) {
        int joined = 0;
        for (int i = 0; i < 2; i++) {
            String code = code(answers.get(i));
            // Never E0005 "team full" (on the code before, 300 rounds of CrossUseCaseRaceIT answered it at round 54).
            assertThat(code).as("run %d %s", run, answers).isIn("0000", "E0006", "E0008", "E0206");
            joined += rowOnlyIfLocked(jdbc, run, joiners[i], code, answers);
        }
        assertThat(joined).as("run %d %s", run, answers).isLessThanOrEqualTo(1);
        for (int i = 2; i < 4; i++) {
            // E0106: the notice's whole-second trade time, taken before the race, can fall on the team's end.
            assertThat(code(answers.get(i))).as("run %d %s", run, answers).isIn("0000", "E0206", "E0208", "E0106");
        }
        if (((Number) counts.team(teamId).get("status")).intValue() == 2) {
            assertThat(rows(jdbc, teamId, "status = 0"))
                    .as("run %d: no unpaid order left in a failed team %s", run, answers)
                    .isZero();
        }
        checkTeam(jdbc, counts, run, teamId);
    }

    /** The user has an order row exactly when its lock answered 0000; returns 1 then, else 0. */
    static int rowOnlyIfLocked(JdbcTemplate jdbc, int run, String user, String code, List<JsonNode> answers) {
        int rows =
                jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ?", Integer.class, user);
        assertThat(rows)
                .as("run %d %s: a row only for a lock answered 0000 %s", run, user, answers)
                .isEqualTo(code.equals("0000") ? 1 : 0);
        return rows;
    }

    /**
     * Every paid member of a formed team refunded, each more than once: each answered 0000, one {@code paid_formed}
     * success per member, the team failed with no place held, its one completion callback and one refund callback per
     * member.
     */
    static void formedTeamRefundedOnce(TeamCounts counts, int run, String teamId, List<JsonNode> answers) {
        int success = 0;
        for (JsonNode answer : answers) {
            assertThat(code(answer)).as("run %d %s", run, answers).isEqualTo("0000");
            if (answer.path("data").path("code").asText().equals("success")) {
                success++;
                assertThat(answer.path("data").path("info").asText())
                        .as("run %d %s", run, answers)
                        .startsWith("paid_formed");
            }
        }
        assertThat(success).as("run %d %s", run, answers).isEqualTo(3);
        assertThat(counts.team(teamId))
                .as("run %d %s", run, answers)
                .containsEntry("status", 2)
                .containsEntry("lock_count", 0)
                .containsEntry("complete_count", 0);
        assertThat(counts.tasks(teamId, "trade_settlement")).as("run %d", run).isEqualTo(1);
        assertThat(counts.tasks(teamId, "trade_paid_team2refund", "HTTP"))
                .as("run %d", run)
                .isEqualTo(3);
    }

    /** Racer {@code i} answered one of the {@code allowed} codes; returns its code. */
    static String answered(int run, List<JsonNode> answers, int i, String... allowed) {
        String code = code(answers.get(i));
        assertThat(code).as("run %d %s", run, answers).isIn((Object[]) allowed);
        return code;
    }

    /** Racer {@code i}'s refund answered 0000 with {@code success}. */
    static void refundSucceeded(int run, List<JsonNode> answers, int i) {
        answered(run, answers, i, "0000");
        assertThat(answers.get(i).path("data").path("code").asText())
                .as("run %d %s", run, answers)
                .isEqualTo("success");
    }

    /** The user's late notices: one when its notice answered {@code refusal}, none otherwise. */
    static void lateOnlyWhenAnswered(
            TeamCounts counts, int run, String user, String code, String refusal, List<JsonNode> answers) {
        assertThat(counts.lateNotices(user))
                .as("run %d: %s recorded late only when answered %s %s", run, user, refusal, answers)
                .isEqualTo(code.equals(refusal) ? 1 : 0);
    }

    /** The team's completion callback: one when the last payment answered 0000, none otherwise. */
    static void completedOnlyWhenPaid(
            TeamCounts counts, int run, String teamId, String settled, List<JsonNode> answers) {
        assertThat(counts.tasks(teamId, "trade_settlement"))
                .as("run %d: completed once paid %s", run, answers)
                .isEqualTo(settled.equals("0000") ? 1 : 0);
    }

    /** The team's member rows matching {@code condition}. */
    static int rows(JdbcTemplate jdbc, String teamId, String condition) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND " + condition, Integer.class, teamId);
    }

    private static int target(JdbcTemplate jdbc, String teamId) {
        return jdbc.queryForObject("SELECT target_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId);
    }

    interface Http {
        JsonNode call() throws Exception;
    }

    /** The answer, or {"code": "HTTP-FAILED", "error": ...} when it was not HTTP 200 with the envelope. */
    static JsonNode call(Http http) throws Exception {
        try {
            return http.call();
        } catch (AssertionError e) {
            ObjectNode failed = TestJson.JSON.createObjectNode();
            failed.put("code", "HTTP-FAILED");
            failed.put("error", e.getMessage());
            return failed;
        }
    }

    static String code(JsonNode answer) {
        return answer.path("code").asText();
    }
}
