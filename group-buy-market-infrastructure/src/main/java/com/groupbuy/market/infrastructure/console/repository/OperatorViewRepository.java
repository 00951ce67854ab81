package com.groupbuy.market.infrastructure.console.repository;

import static com.groupbuy.market.infrastructure.console.repository.OperatorRows.integer;
import static com.groupbuy.market.infrastructure.console.repository.OperatorRows.number;
import static com.groupbuy.market.infrastructure.console.repository.OperatorRows.text;
import static com.groupbuy.market.infrastructure.console.repository.OperatorRows.time;

import com.groupbuy.market.domain.activity.adapter.repository.IActivityAdminRepository;
import com.groupbuy.market.domain.activity.model.valobj.ActivityAdminVO;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyBulkRepository;
import com.groupbuy.market.domain.tag.adapter.repository.ITagImportAdminRepository;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobVO;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamAdminRepository;
import com.groupbuy.market.domain.trade.model.valobj.TeamAdminVO;
import com.groupbuy.market.infrastructure.console.dao.IOperatorViewDao;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Repository;

/** The operators' reads of every context, and the outbox's bulk re-drive, over one MyBatis mapper. */
@Repository
public class OperatorViewRepository
        implements IActivityAdminRepository, ITeamAdminRepository, ITagImportAdminRepository, INotifyBulkRepository {

    private final IOperatorViewDao dao;

    public OperatorViewRepository(IOperatorViewDao dao) {
        this.dao = dao;
    }

    @Override
    public List<ActivityAdminVO> page(int offset, int limit) {
        return dao.activities(offset, limit).stream()
                .map(r -> new ActivityAdminVO(
                        number(r, "activityId"),
                        text(r, "activityName"),
                        text(r, "discountId"),
                        integer(r, "target"),
                        integer(r, "validMinutes"),
                        integer(r, "takeLimitCount"),
                        integer(r, "status"),
                        time(r, "startTime"),
                        time(r, "endTime"),
                        text(r, "tagId"),
                        text(r, "tagScope")))
                .toList();
    }

    @Override
    public long count() {
        return dao.countActivities();
    }

    @Override
    public List<TeamAdminVO> page(long activityId, Integer status, int offset, int limit) {
        Map<String, TeamAdminVO> teams = new LinkedHashMap<>();
        for (Map<String, Object> r : dao.teams(activityId, status, offset, limit)) {
            teams.put(
                    text(r, "teamId"),
                    new TeamAdminVO(
                            text(r, "teamId"),
                            number(r, "activityId"),
                            integer(r, "targetCount"),
                            integer(r, "lockCount"),
                            integer(r, "completeCount"),
                            integer(r, "status"),
                            time(r, "validStartTime"),
                            time(r, "validEndTime"),
                            text(r, "notifyType"),
                            0,
                            List.of()));
        }
        if (teams.isEmpty()) {
            return List.of();
        }
        List<String> teamIds = new ArrayList<>(teams.keySet());
        Map<String, Long> counts = new HashMap<>();
        for (Map<String, Object> r : dao.memberCounts(teamIds)) {
            counts.put(text(r, "teamId"), number(r, "members"));
        }
        Map<String, List<TeamAdminVO.Member>> members = new LinkedHashMap<>();
        for (Map<String, Object> r : dao.firstMembers(teamIds, TeamAdminVO.MEMBERS_SHOWN)) {
            members.computeIfAbsent(text(r, "teamId"), k -> new ArrayList<>()).add(member(r));
        }
        return teams.values().stream()
                .map(t ->
                        t.withMembers(counts.getOrDefault(t.teamId(), 0L), members.getOrDefault(t.teamId(), List.of())))
                .toList();
    }

    @Override
    public long count(long activityId, Integer status) {
        return dao.countTeams(activityId, status);
    }

    @Override
    public List<TeamAdminVO.Member> members(String teamId, int offset, int limit) {
        return dao.teamMembers(teamId, offset, limit).stream()
                .map(OperatorViewRepository::member)
                .toList();
    }

    @Override
    public long countMembers(String teamId) {
        return dao.countTeamMembers(teamId);
    }

    @Override
    public boolean activityNamed(long activityId) {
        return dao.activityNamed(activityId);
    }

    @Override
    public boolean teamNamed(String teamId) {
        return dao.teamNamed(teamId);
    }

    private static TeamAdminVO.Member member(Map<String, Object> r) {
        return new TeamAdminVO.Member(
                text(r, "userId"),
                text(r, "outTradeNo"),
                text(r, "orderId"),
                integer(r, "status"),
                text(r, "source"),
                text(r, "channel"),
                time(r, "lockedAt"));
    }

    @Override
    public List<TagImportJobVO> importJobs(int offset, int limit) {
        return dao.importJobs(offset, limit).stream()
                .map(r -> new TagImportJobVO(
                        text(r, "batchId"),
                        text(r, "tagId"),
                        text(r, "tagName"),
                        integer(r, "status"),
                        number(r, "statistics"),
                        time(r, "updateTime")))
                .toList();
    }

    @Override
    public long countImportJobs() {
        return dao.countImportJobs();
    }

    @Override
    public long countFailed(String source, String channel) {
        return dao.countFailed(source, channel);
    }

    @Override
    public List<Long> failedIdsAfter(String source, String channel, long afterId, int limit) {
        return dao.failedIdsAfter(source, channel, afterId, limit);
    }

    @Override
    public int redriveFailed(List<Long> ids, Instant now) {
        return ids.isEmpty() ? 0 : dao.redriveFailed(ids, now);
    }
}
