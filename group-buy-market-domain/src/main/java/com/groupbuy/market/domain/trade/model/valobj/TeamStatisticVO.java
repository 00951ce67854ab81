package com.groupbuy.market.domain.trade.model.valobj;

import lombok.AllArgsConstructor;
import lombok.Getter;

/** How an activity is doing: teams opened, teams completed, and places taken across its teams. */
@Getter
@AllArgsConstructor
public class TeamStatisticVO {

    private final int allTeamCount;
    private final int allTeamCompleteCount;
    private final int allTeamUserCount;
}
