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
 * {@code takeSequence} is the take (1..limit) this order holds: first the user's live takes in the activity + 1, and
 * when a refund freed a take below one still held, another free one ({@link #nextTakeSequence}); with the unique biz id
 * it makes the take limit hold in the database even when two locks of one user race. A user is a partner's user: user ids are the namespace
 * of a source + channel, so the takes are counted, and the biz id is unique, per activity, partner and user.
 */
@Getter
@Builder(toBuilder = true)
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

    /**
     * Separates the fields of a biz id: the ASCII unit separator, a control character, which no id can hold (the edge
     * refuses control characters in user, source and channel), so two different takes never share a biz id.
     */
    public static final char TAKE_SEPARATOR = '\u001F';

    /**
     * The take to try after {@code tried} was found held (its biz id taken): the next one up to the limit, then from 1
     * on, until every take 1..{@code takeLimit} was tried once starting at {@code first}; 0 then: the limit is full.
     * A refund frees a take wherever it is, so the count + 1 a lock starts at can be a take still held while a lower
     * one is free.
     */
    public static int nextTakeSequence(int tried, int first, int takeLimit) {
        int next = tried >= takeLimit ? 1 : tried + 1;
        return next == first || first > takeLimit ? 0 : next;
    }

    /** This lock with another take; everything else (ids, place, close checks) unchanged. */
    public LockOrderAggregate withTakeSequence(int sequence) {
        return toBuilder().takeSequence(sequence).build();
    }

    /**
     * The take this order holds: activity, source, channel, user and take sequence joined by {@link #TAKE_SEPARATOR}
     * (at most 20 + 16 + 16 + 32 + 10 + 4 = 98 characters; the column is VARCHAR(100), V13, which also rewrote the
     * takes held before it into this format).
     */
    public String bizId() {
        return String.valueOf(command.getActivityId())
                + TAKE_SEPARATOR
                + command.getSource()
                + TAKE_SEPARATOR
                + command.getChannel()
                + TAKE_SEPARATOR
                + command.getUserId()
                + TAKE_SEPARATOR
                + takeSequence;
    }
}
