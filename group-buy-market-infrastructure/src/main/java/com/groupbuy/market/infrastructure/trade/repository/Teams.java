package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.po.TeamPO;

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
}
