package com.groupbuy.market.domain.trade.model.aggregate;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/**
 * Everything one lock writes in its single transaction: the team (created when {@code newTeam}) and the member order.
 * {@code takeSequence} is this user's n-th live take in the activity; with the unique biz id it makes the take limit
 * hold in the database even when two locks of one user race.
 */
@Getter
@Builder
@AllArgsConstructor
public class LockOrderAggregate {

    private final LockOrderCommand command;
    private final boolean newTeam;
    private final String teamId;
    private final String orderId;
    private final int targetCount;
    private final BigDecimal originalPrice;
    private final BigDecimal deductionPrice;
    private final BigDecimal payPrice;
    private final Instant activityStartTime;
    private final Instant activityEndTime;
    private final Instant validStartTime;
    private final Instant validEndTime;
    private final int takeSequence;
    /** The delayed close checks written with the lock, in its transaction (#15); empty while the delay path is off. */
    @Builder.Default
    private final List<CloseCheckVO> closeChecks = List.of();
    /**
     * The relay's lease the close checks are written under (they need no claim before their publish); null: written
     * unleased, claimed by whoever delivers them.
     */
    private final NotifyLease closeCheckLease;

    public String bizId() {
        return command.getActivityId() + "_" + command.getUserId() + "_" + takeSequence;
    }
}
