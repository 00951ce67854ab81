package com.groupbuy.market.infrastructure.adapter.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.entity.TeamEntity;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.infrastructure.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.dao.IGroupBuyRefundDao;
import com.groupbuy.market.infrastructure.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.dao.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.dao.po.GroupBuyOrderPO;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-flow transactions. Rows are locked in the order settlement locks them (member order, then team), so a
 * refund or an expiry racing a settlement waits instead of deadlocking; the loser's guarded update affects no row.
 */
@Repository
public class RefundRepository implements IRefundRepository {

    private final IGroupBuyRefundDao dao;
    private final IGroupBuySettlementDao orderQuery;
    private final IGroupBuyOrderDao teamDao;
    private final INotifyTaskRepository notifyTasks;
    private final TransactionTemplate transaction;
    private final NotifyRoutes routes;
    private final ObjectMapper json = new ObjectMapper();

    public RefundRepository(IGroupBuyRefundDao dao, IGroupBuySettlementDao orderQuery, IGroupBuyOrderDao teamDao,
                            INotifyTaskRepository notifyTasks, TransactionTemplate transaction, NotifyRoutes routes) {
        this.dao = dao;
        this.orderQuery = orderQuery;
        this.teamDao = teamDao;
        this.notifyTasks = notifyTasks;
        this.transaction = transaction;
        this.routes = routes;
    }

    @Override
    public MemberOrderView queryOrder(PartnerOrderKey key) {
        return MemberOrders.toView(orderQuery.queryOrder(key.source(), key.channel(), key.userId(), key.outTradeNo()));
    }

    @Override
    public MemberOrderView queryOrderById(String orderId) {
        return MemberOrders.toView(orderQuery.queryOrderById(orderId));
    }

    @Override
    public List<Long> refund(MemberOrderView order, RefundType type) {
        return transaction.execute(status -> {
            if (dao.closeOrder(order.getOrderId(), order.getOrderStatus()) == 0 || releasePlace(order, type) == 0) {
                throw new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
            }
            return saveTasks(order, type);
        });
    }

    private int releasePlace(MemberOrderView order, RefundType type) {
        return switch (type) {
            case UNPAID_UNLOCK -> dao.releaseUnpaidPlaces(order.getTeamId(), 1);
            case PAID_UNFORMED -> dao.releasePaidPlace(order.getTeamId(), order.getTeamStatus());
            case PAID_FORMED -> dao.releaseFormedPlace(order.getTeamId());
        };
    }

    @Override
    public List<MemberOrderView> queryUnpaidLockedBefore(Instant lockedBefore, int shardIndex, int shardTotal,
                                                         int limit) {
        return dao.queryUnpaidLockedBefore(lockedBefore, shardIndex, shardTotal, limit).stream()
                .map(MemberOrders::toView).toList();
    }

    @Override
    public List<String> queryOpenTeamsEndedBefore(Instant endBefore, int shardIndex, int shardTotal, int limit) {
        return dao.queryOpenTeamsEndedBefore(endBefore, shardIndex, shardTotal, limit);
    }

    @Override
    public TeamExpiryVO expireTeam(String teamId, Instant endBefore) {
        return transaction.execute(status -> {
            List<GroupBuyOrderListPO> members = dao.lockLiveMembers(teamId);
            if (dao.failTeam(teamId, endBefore) == 0) {
                return null;
            }
            GroupBuyOrderPO team = teamDao.queryByTeamId(teamId);
            List<String> closed = new ArrayList<>();
            List<Long> taskIds = new ArrayList<>();
            for (GroupBuyOrderListPO member : members) {
                RefundType type = RefundType.of(member.getStatus(), TeamEntity.FAILED);
                if (type == RefundType.UNPAID_UNLOCK) {
                    dao.closeOrder(member.getOrderId(), MarketPayOrderEntity.LOCKED);
                    closed.add(member.getOrderId());
                }
                taskIds.addAll(saveTasks(view(team, member), type));
            }
            if (!closed.isEmpty() && dao.releaseUnpaidPlaces(teamId, closed.size()) == 0) {
                throw new IllegalStateException("team " + teamId + " counts disagree with its members");
            }
            return new TeamExpiryVO(closed, taskIds);
        });
    }

    /**
     * The refund's tasks on the channels {@link NotifyRoutes} names. The task key names the order (and the channel),
     * so a refund after an expiry that already told the mall is not told twice.
     */
    private List<Long> saveTasks(MemberOrderView order, RefundType type) {
        List<NotifyTarget> targets = routes.refund(type, order.getNotifyType(), order.getSource(), order.getChannel());
        List<Long> ids = new ArrayList<>(targets.size());
        if (targets.isEmpty()) {
            return ids;
        }
        String body = body(order, type);
        for (NotifyTarget target : targets) {
            ids.add(notifyTasks.saveTask(NotifyTaskEntity.builder()
                    .taskKey(order.getTeamId() + ":" + type.getNotifyCategory() + ":" + order.getOrderId()
                            + target.taskKeySuffix())
                    .activityId(order.getActivityId()).teamId(order.getTeamId())
                    .source(order.getSource()).channel(order.getChannel())
                    .notifyCategory(type.getNotifyCategory())
                    .notifyType(target.notifyType()).notifyMq(target.routingKey()).notifyUrl(target.notifyUrl())
                    .parameterJson(body).build()));
        }
        return ids;
    }

    private String body(MemberOrderView order, RefundType type) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.getType());
        body.put("userId", order.getUserId());
        body.put("teamId", order.getTeamId());
        body.put("activityId", order.getActivityId());
        body.put("orderId", order.getOrderId());
        body.put("outTradeNo", order.getOutTradeNo());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MemberOrderView view(GroupBuyOrderPO team, GroupBuyOrderListPO member) {
        return MemberOrderView.builder().orderId(member.getOrderId()).userId(member.getUserId())
                .outTradeNo(member.getOutTradeNo()).activityId(member.getActivityId())
                .orderStatus(member.getStatus()).teamId(team.getTeamId()).teamStatus(team.getStatus())
                .source(team.getSource()).channel(team.getChannel())
                .notifyType(team.getNotifyType()).notifyUrl(team.getNotifyUrl()).build();
    }
}
