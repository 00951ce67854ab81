package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.adapter.repository.ITeamQueryRepository;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatisticVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamVO;
import com.groupbuy.market.infrastructure.trade.dao.ITeamQueryDao;
import com.groupbuy.market.infrastructure.trade.po.TeamStatisticPO;
import com.groupbuy.market.infrastructure.trade.po.TeamViewPO;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Repository;

/** Team views over MyBatis. */
@Repository
public class TeamQueryRepository implements ITeamQueryRepository {

    private final ITeamQueryDao dao;

    public TeamQueryRepository(ITeamQueryDao dao) {
        this.dao = dao;
    }

    @Override
    public TeamVO queryOwnOpenTeam(Long activityId, String source, String channel, String userId, Instant now) {
        TeamViewPO po = dao.queryOwnOpenTeam(
                activityId, source, channel, userId, now, States.LIVE_ORDERS, TeamStatus.OPEN.code());
        return po == null ? null : toTeam(po);
    }

    @Override
    public List<TeamVO> queryJoinableTeams(
            Long activityId, String source, String channel, String excludeTeamId, Instant now, int limit) {
        return dao
                .queryJoinableTeams(
                        activityId,
                        source,
                        channel,
                        excludeTeamId,
                        now,
                        limit,
                        States.LIVE_ORDERS,
                        TeamStatus.OPEN.code())
                .stream()
                .map(TeamQueryRepository::toTeam)
                .toList();
    }

    @Override
    public TeamStatisticVO queryStatistic(Long activityId, String source, String channel) {
        TeamStatisticPO po = dao.queryStatistic(activityId, source, channel, States.FORMED_TEAMS);
        return new TeamStatisticVO(po.getAllTeamCount(), po.getAllTeamCompleteCount(), po.getAllTeamUserCount());
    }

    private static TeamVO toTeam(TeamViewPO po) {
        return TeamVO.builder()
                .teamId(po.getTeamId())
                .leaderUserId(po.getLeaderUserId())
                .activityId(po.getActivityId())
                .targetCount(po.getTargetCount())
                .completeCount(po.getCompleteCount())
                .lockCount(po.getLockCount())
                .validStartTime(po.getValidStartTime())
                .validEndTime(po.getValidEndTime())
                .outTradeNo(po.getOutTradeNo())
                .build();
    }
}
