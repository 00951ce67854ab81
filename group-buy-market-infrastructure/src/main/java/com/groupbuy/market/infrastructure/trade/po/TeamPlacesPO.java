package com.groupbuy.market.infrastructure.trade.po;

import java.time.Instant;
import lombok.Data;

/** A team row as the place reconciliation reads it (group_buy_order). */
@Data
public class TeamPlacesPO {
    private Long id;
    private String teamId;
    private Integer lockCount;
    private Integer status;
    private Instant validEndTime;
    private Instant updateTime;
    /** lockTeam only: microseconds since update_time by the database's clock (the one that stamped it). */
    private Long unchangedMicros;
}
