package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;

/** Aggregates of an activity's teams. */
@Data
public class TeamStatisticPO {
    private Integer allTeamCount;
    private Integer allTeamCompleteCount;
    private Integer allTeamUserCount;
}
