package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.po.TeamPO;
import com.groupbuy.market.types.enums.ResponseCode;
import java.time.Instant;

/** The one mapping of a team row to the domain's {@link Team}, for every repository. */
final class Teams {

    private Teams() {}

    static Team toTeam(TeamPO po) {
        return po == null
                ? null
                : Team.builder()
                        .teamId(po.getTeamId())
                        .activityId(po.getActivityId())
                        .targetCount(po.getTargetCount())
                        .lockCount(po.getLockCount())
                        .completeCount(po.getCompleteCount())
                        .status(TeamStatus.of(po.getStatus()))
                        .validEndTime(po.getValidEndTime())
                        .source(po.getSource())
                        .channel(po.getChannel())
                        .notifyType(po.getNotifyType())
                        .notifyUrl(po.getNotifyUrl())
                        .build();
    }

    /**
     * The answer to a join whose guarded place taking ({@code takePlace}) matched nothing, as the team decides it
     * ({@link Team#guardedJoinRefusalAt}) from its row as it is now: a locking read of the row that update just found,
     * so no wait. Every join answered E0005 before, "team full" for a team with places left.
     */
    static ResponseCode placeRefused(IGroupBuyOrderDao dao, String teamId, Instant now) {
        Team team = toTeam(dao.lockByTeamId(teamId));
        return team == null ? ResponseCode.E0005 : team.guardedJoinRefusalAt(now);
    }
}
