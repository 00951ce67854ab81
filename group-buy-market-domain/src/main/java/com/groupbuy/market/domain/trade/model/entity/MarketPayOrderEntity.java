package com.groupbuy.market.domain.trade.model.entity;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A member order: the place a buyer holds in a team and the price the mall charges for it. */
@Getter
@Builder
@AllArgsConstructor
public class MarketPayOrderEntity {

    private final String orderId;
    private final String teamId;
    private final Long activityId;
    /** The goods the order was locked for; internal, never on the wire (the lock's answer has no goods). */
    private final String goodsId;

    private final BigDecimal originalPrice;
    private final BigDecimal deductionPrice;
    private final BigDecimal payPrice;
    /** The stored {@link OrderStatus} code, as the lock answer carries it ({@code tradeOrderStatus}). */
    private final Integer status;
    /**
     * Outbox rows of the close checks this lock just wrote, to publish after commit (#15); internal, never on the
     * wire (the controller maps the answer field by field). Null when none.
     */
    private final List<Long> closeCheckTaskIds;
    /** The same checks when they were written under the relay's lease: as the relay publishes them. Null when none. */
    private final List<NotifyTaskVO> leasedCloseChecks;
    /**
     * The notify target this order's lock gave the team it opened (where the team's completion is told); null when the
     * order joined a team (a join's notify settings are never its own: the team keeps its opener's) or was just
     * written. Internal, read for a repeat only.
     */
    private final NotifySettings openedWith;

    public OrderStatus orderStatus() {
        return OrderStatus.of(status);
    }

    /**
     * What a lock repeating this order's out trade number asks for otherwise, one entry per parameter ("goodsId
     * g1, asked g2"); empty when it asks for this order. The out trade number is an idempotency key: a repeat is
     * answered this order only when it is the same request, else the mall would be told this order's goods, price
     * and team as if its new request had been served. A repeat that names no team asks for no particular team (the
     * retry of a lock that opened one); naming this order's own team is the same request too. The lock that opened
     * the team chose where the team's completion is told: its repeat asking for another notify type or URL would be
     * answered as served while the callback goes to the first target, so it differs too ({@code notifyMQ} chooses
     * nothing and is not compared).
     */
    public List<String> askedOtherwiseBy(LockOrderCommand repeat) {
        List<String> differences = new ArrayList<>();
        if (!Objects.equals(goodsId, repeat.getGoodsId())) {
            differences.add("goodsId " + goodsId + ", asked " + repeat.getGoodsId());
        }
        if (!Objects.equals(activityId, repeat.getActivityId())) {
            differences.add("activityId " + activityId + ", asked " + repeat.getActivityId());
        }
        if (repeat.getTeamId() != null && !repeat.getTeamId().equals(teamId)) {
            differences.add("teamId " + teamId + ", asked " + repeat.getTeamId());
        }
        if (openedWith != null && !Objects.equals(openedWith.notifyType(), repeat.getNotifyType())) {
            differences.add("notifyType " + openedWith.notifyType() + ", asked " + repeat.getNotifyType());
        } else if (openedWith != null && !Objects.equals(openedWith.notifyUrl(), repeat.getNotifyUrl())) {
            differences.add("notifyUrl " + openedWith.notifyUrl() + ", asked " + repeat.getNotifyUrl());
        }
        return differences;
    }
}
