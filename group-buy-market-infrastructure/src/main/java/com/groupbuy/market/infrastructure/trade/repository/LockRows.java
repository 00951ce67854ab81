package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.RepeatedOrderPO;
import com.groupbuy.market.infrastructure.trade.po.TeamPO;
import java.util.ArrayList;
import java.util.List;

/** The rows a lock writes, for the lock written alone and for locks written together (group commit) alike. */
final class LockRows {

    private LockRows() {}

    static TeamPO team(LockOrderAggregate lock) {
        LockOrderCommand command = lock.getCommand();
        TeamPO team = new TeamPO();
        team.setTeamId(lock.getTeamId());
        team.setActivityId(command.getActivityId());
        team.setLeaderUserId(command.getUserId());
        team.setSource(command.getSource());
        team.setChannel(command.getChannel());
        team.setOriginalPrice(lock.getOriginalPrice());
        team.setDeductionPrice(lock.getDeductionPrice());
        team.setPayPrice(lock.getPayPrice());
        team.setTargetCount(lock.getTargetCount());
        team.setCompleteCount(0);
        team.setLockCount(1);
        team.setStatus(TeamStatus.OPEN.code());
        team.setValidStartTime(lock.getValidStartTime());
        team.setValidEndTime(lock.getValidEndTime());
        team.setNotifyType(command.getNotifyType());
        team.setNotifyMq(command.getNotifyMq());
        team.setNotifyUrl(command.getNotifyUrl());
        return team;
    }

    static GroupBuyOrderListPO order(LockOrderAggregate lock) {
        LockOrderCommand command = lock.getCommand();
        GroupBuyOrderListPO order = new GroupBuyOrderListPO();
        order.setUserId(command.getUserId());
        order.setTeamId(lock.getTeamId());
        order.setOrderId(lock.getOrderId());
        order.setActivityId(command.getActivityId());
        order.setStartTime(lock.getActivityStartTime());
        order.setEndTime(lock.getActivityEndTime());
        order.setGoodsId(command.getGoodsId());
        order.setSource(command.getSource());
        order.setChannel(command.getChannel());
        order.setOriginalPrice(lock.getOriginalPrice());
        order.setDeductionPrice(lock.getDeductionPrice());
        order.setPayPrice(lock.getPayPrice());
        order.setStatus(OrderStatus.LOCKED.code());
        order.setOutTradeNo(command.getOutTradeNo());
        order.setBizId(lock.bizId());
        // The lock's instant (validStartTime is the lock's "now" for a join too), not the database's: the polling job
        // measures the unpaid timeout from create_time against the instance's clock, as the close check does from this
        // instant. Stamped by the database, a database clock behind the instances' closed locks that much early.
        order.setCreateTime(lock.getValidStartTime());
        return order;
    }

    /**
     * The lock's close checks as outbox rows of an internal category and notify type {@code DELAY}: published to our
     * own delay queue, never to a partner. The task key names the team (and order), so each is written once.
     */
    static List<NotifyTaskEntity> closeChecks(LockOrderAggregate lock) {
        LockOrderCommand command = lock.getCommand();
        List<NotifyTaskEntity> tasks = new ArrayList<>(lock.getCloseChecks().size());
        for (CloseCheckVO check : lock.getCloseChecks()) {
            tasks.add(NotifyTaskEntity.builder()
                    .taskKey(check.taskKey())
                    .activityId(command.getActivityId())
                    .teamId(check.teamId())
                    .source(command.getSource())
                    .channel(command.getChannel())
                    .notifyCategory(check.kind().category())
                    .notifyType(NotifyTarget.DELAY)
                    .body(check.toJson())
                    .build());
        }
        return tasks;
    }

    /** The written order as the domain sees it; {@code closeCheckTaskIds} null when the lock wrote none. */
    static MarketPayOrderEntity toOrder(GroupBuyOrderListPO po, List<Long> closeCheckTaskIds) {
        return toOrder(po, closeCheckTaskIds, null);
    }

    /** {@code leasedCloseChecks}: the same checks when written under the relay's lease (#15), as it publishes them. */
    static MarketPayOrderEntity toOrder(
            GroupBuyOrderListPO po, List<Long> closeCheckTaskIds, List<NotifyTaskVO> leasedCloseChecks) {
        return toOrder(po, closeCheckTaskIds, leasedCloseChecks, null);
    }

    /** A partner's order read again for a repeated lock, with the notify target it gave the team it opened. */
    static MarketPayOrderEntity toRepeatedOrder(RepeatedOrderPO po) {
        NotifySettings openedWith = po.getOpenedNotifyType() == null
                ? null
                : new NotifySettings(po.getOpenedNotifyType(), po.getOpenedNotifyUrl());
        return toOrder(po, null, null, openedWith);
    }

    private static MarketPayOrderEntity toOrder(
            GroupBuyOrderListPO po,
            List<Long> closeCheckTaskIds,
            List<NotifyTaskVO> leasedCloseChecks,
            NotifySettings openedWith) {
        return MarketPayOrderEntity.builder()
                .openedWith(openedWith)
                .closeCheckTaskIds(closeCheckTaskIds)
                .leasedCloseChecks(leasedCloseChecks)
                .orderId(po.getOrderId())
                .teamId(po.getTeamId())
                .activityId(po.getActivityId())
                .goodsId(po.getGoodsId())
                .originalPrice(po.getOriginalPrice())
                .deductionPrice(po.getDeductionPrice())
                .payPrice(po.getPayPrice())
                .status(po.getStatus())
                .build();
    }
}
