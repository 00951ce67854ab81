package com.groupbuy.market.domain.trade.service.lock;

import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import java.time.Instant;
import lombok.Getter;
import lombok.Setter;

/** What the lock filters learn on the way, handed from one filter to the next and then to the write. */
@Getter
@Setter
public class LockContext {

    private final Instant now;
    private TrialBalanceEntity trial;
    private int liveTakes;
    /** The team the lock names, as the lock's first read found it; null when it opens a team or there is none. */
    private Team namedTeam;
    /** The team being joined, once the filters found it usable; null when the lock opens a new team. */
    private Team team;

    public LockContext(Instant now) {
        this.now = now;
    }
}
