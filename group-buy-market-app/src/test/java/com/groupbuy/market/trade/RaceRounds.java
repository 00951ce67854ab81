package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.groupbuy.market.support.TestJson;
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
