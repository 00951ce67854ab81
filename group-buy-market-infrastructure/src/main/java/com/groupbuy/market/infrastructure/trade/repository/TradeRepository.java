package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.adapter.repository.DuplicateOrderException;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.OrderLookupPO;
import com.groupbuy.market.infrastructure.trade.po.TeamPO;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Teams and member orders over MyBatis; a lock is one short transaction, which also writes the lock's delayed close
 * checks to the outbox (#15), so a lock never exists without its check.
 */
@Repository
public class TradeRepository implements ITradeRepository {

    private final IGroupBuyOrderDao teamDao;
    private final IGroupBuyOrderListDao orderDao;
    private final TransactionTemplate transaction;
    private final INotifyTaskRepository notifyTasks;

    public TradeRepository(
            IGroupBuyOrderDao teamDao,
            IGroupBuyOrderListDao orderDao,
            TransactionTemplate transaction,
            INotifyTaskRepository notifyTasks) {
        this.teamDao = teamDao;
        this.orderDao = orderDao;
        this.transaction = transaction;
        this.notifyTasks = notifyTasks;
    }

    @Override
    public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
        GroupBuyOrderListPO po =
                orderDao.queryByOutTradeNo(key.source(), key.channel(), key.userId(), key.outTradeNo());
        return po == null ? null : toOrder(po);
    }

    @Override
    public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId) {
        OrderLookupPO row = orderDao.queryByOutTradeNoWithLiveTakes(
                key.source(), key.channel(), key.userId(), key.outTradeNo(), activityId, States.LIVE_ORDERS);
        return new LockLookupVO(row.getOrderId() == null ? null : toOrder(row), row.getLiveTakes());
    }

    @Override
    public Team queryTeam(String teamId) {
        return Teams.toTeam(teamDao.queryByTeamId(teamId));
    }

    @Override
    public MarketPayOrderEntity lockOrder(LockOrderAggregate lock) {
        GroupBuyOrderListPO order = toOrderRow(lock);
        List<NotifyTaskVO> closeChecks;
        try {
            closeChecks = transaction.execute(status -> {
                if (lock.isNewTeam()) {
                    teamDao.insert(toTeamRow(lock));
                } else if (teamDao.takePlace(lock.getTeamId(), lock.getValidStartTime(), TeamStatus.OPEN.code()) == 0) {
                    throw new AppException(ResponseCode.E0005);
                }
                orderDao.insert(order);
                return saveCloseChecks(lock);
            });
        } catch (DuplicateKeyException e) {
            throw new DuplicateOrderException(duplicateKey(e), e);
        }
        if (closeChecks == null) {
            return toOrder(order, null, null);
        }
        List<Long> ids = closeChecks.stream().map(NotifyTaskVO::getId).toList();
        return toOrder(order, ids, lock.getCloseCheckLease() == null ? null : closeChecks);
    }

    /**
     * The lock's close checks as outbox rows of an internal category and notify type {@code DELAY}: published to our
     * own delay queue, never to a partner. The task key names the team (and order), so each is written once. Under
     * the relay's lease when the lock has one (the relay then publishes them without a claim); a check whose key was
     * taken is not under that lease and is left out (the compensation job delivers the one written before).
     */
    private List<NotifyTaskVO> saveCloseChecks(LockOrderAggregate lock) {
        if (lock.getCloseChecks().isEmpty()) {
            return null;
        }
        LockOrderCommand command = lock.getCommand();
        NotifyLease lease = lock.getCloseCheckLease();
        List<NotifyTaskVO> saved = new ArrayList<>(lock.getCloseChecks().size());
        for (CloseCheckVO check : lock.getCloseChecks()) {
            NotifyTaskEntity task = NotifyTaskEntity.builder()
                    .taskKey(check.taskKey())
                    .activityId(command.getActivityId())
                    .teamId(check.teamId())
                    .source(command.getSource())
                    .channel(command.getChannel())
                    .notifyCategory(check.kind().category())
                    .notifyType(NotifyTarget.DELAY)
                    .body(check.toJson())
                    .build();
            if (lease == null) {
                saved.add(NotifyTaskVO.builder().id(notifyTasks.saveTask(task)).build());
                continue;
            }
            NotifyTaskVO leased = notifyTasks.saveLeased(task, lease);
            if (leased != null) {
                saved.add(leased);
            }
        }
        return saved;
    }

    private static DuplicateOrderException.Key duplicateKey(DuplicateKeyException e) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage());
        if (message.contains("uq_partner_user_out_trade_no")) {
            return DuplicateOrderException.Key.OUT_TRADE_NO;
        }
        if (message.contains("uq_biz_id")) {
            return DuplicateOrderException.Key.TAKE;
        }
        if (message.contains("uq_team_id") || message.contains("uq_order_id")) {
            return DuplicateOrderException.Key.GENERATED_ID;
        }
        return DuplicateOrderException.Key.OTHER;
    }

    private static TeamPO toTeamRow(LockOrderAggregate lock) {
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

    private static GroupBuyOrderListPO toOrderRow(LockOrderAggregate lock) {
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
        return order;
    }

    private static MarketPayOrderEntity toOrder(GroupBuyOrderListPO po) {
        return toOrder(po, null, null);
    }

    private static MarketPayOrderEntity toOrder(
            GroupBuyOrderListPO po, List<Long> closeCheckTaskIds, List<NotifyTaskVO> leasedCloseChecks) {
        return MarketPayOrderEntity.builder()
                .closeCheckTaskIds(closeCheckTaskIds)
                .leasedCloseChecks(leasedCloseChecks)
                .orderId(po.getOrderId())
                .teamId(po.getTeamId())
                .activityId(po.getActivityId())
                .originalPrice(po.getOriginalPrice())
                .deductionPrice(po.getDeductionPrice())
                .payPrice(po.getPayPrice())
                .status(po.getStatus())
                .build();
    }
}
