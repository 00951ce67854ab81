package com.groupbuy.market.infrastructure.console.dao;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/**
 * The operators' console reads (activities, teams and members, import jobs, task counts) and the bulk re-drive.
 * Rows come back as column-alias maps; the adapters turn them into the domain's records.
 */
@Mapper
public interface IOperatorViewDao {

    List<Map<String, Object>> activities(@Param("offset") int offset, @Param("limit") int limit);

    long countActivities();

    List<Map<String, Object>> teams(
            @Param("activityId") long activityId,
            @Param("status") Integer status,
            @Param("offset") int offset,
            @Param("limit") int limit);

    long countTeams(@Param("activityId") long activityId, @Param("status") Integer status);

    /** Whether an activity has this id, or a team names it. */
    boolean activityNamed(@Param("activityId") long activityId);

    /** Whether a team has this id, or a member order names it. */
    boolean teamNamed(@Param("teamId") String teamId);

    /** The first {@code perTeam} member orders of each team (oldest first), one index range of each team read. */
    List<Map<String, Object>> firstMembers(@Param("teamIds") List<String> teamIds, @Param("perTeam") int perTeam);

    /** Aliases teamId, members. */
    List<Map<String, Object>> memberCounts(@Param("teamIds") List<String> teamIds);

    List<Map<String, Object>> teamMembers(
            @Param("teamId") String teamId, @Param("offset") int offset, @Param("limit") int limit);

    long countTeamMembers(@Param("teamId") String teamId);

    List<Map<String, Object>> importJobs(@Param("offset") int offset, @Param("limit") int limit);

    long countImportJobs();

    long countFailed(@Param("source") String source, @Param("channel") String channel);

    List<Long> failedIdsAfter(
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("afterId") long afterId,
            @Param("limit") int limit);

    int redriveFailed(@Param("ids") List<Long> ids, @Param("now") Instant now);
}
