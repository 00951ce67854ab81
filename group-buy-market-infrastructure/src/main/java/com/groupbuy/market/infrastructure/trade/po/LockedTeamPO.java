package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;

/**
 * A team row as a settlement batch locked it ({@code IGroupBuySettlementDao.lockTeams}, #19): what its payments are
 * counted on.
 */
@Data
public class LockedTeamPO {
    private String teamId;
    private Integer status;
    private Integer completeCount;
    private Integer targetCount;
}
