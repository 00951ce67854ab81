package com.groupbuy.market.domain.trade.service;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.aggregate.TeamExpiry;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.PaidMember;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The settlement and refund ports over maps, storing exactly what the domain hands them the way the guarded SQL does
 * (rows hold stored codes; every update checks the state it leaves and changes nothing when the guard fails), so a
 * test sees the domain's decisions, not the fake's. One "transaction" at a time: a failed guard leaves no change.
 */
public class InMemoryTradeStore implements ISettlementRepository, IRefundRepository {

    public static final class TeamRow {
        public String teamId;
        public long activityId = 7L;
        public int target;
        public int lockCount;
        public int completeCount;
        public int status = TeamStatus.OPEN.code();
        public Instant validEnd;
        public String source = "s01";
        public String channel = "c01";
        public String notifyType = "HTTP";
        public String notifyUrl = "https://mall.example/success";

        Team toTeam() {
            return Team.builder()
                    .teamId(teamId)
                    .activityId(activityId)
                    .targetCount(target)
                    .lockCount(lockCount)
                    .completeCount(completeCount)
                    .status(TeamStatus.of(status))
                    .validEndTime(validEnd)
                    .source(source)
                    .channel(channel)
                    .notifyType(notifyType)
                    .notifyUrl(notifyUrl)
                    .build();
        }
    }

    public static final class OrderRow {
        public String orderId;
        public String userId;
        public String outTradeNo;
        public String teamId;
        public int status = OrderStatus.LOCKED.code();
        public Instant outTradeTime;
        /** When it was locked (the row's create_time); null until a test that decides a timeout sets it. */
        public Instant lockTime;
        /** The order's own partner: its team's unless a test plants a member of another partner (legacy data). */
        public String source = "s01";

        public String channel = "c01";
    }

    public final Map<String, TeamRow> teams = new LinkedHashMap<>();
    public final Map<String, OrderRow> orders = new LinkedHashMap<>();
    public final Map<String, NotifyTaskEntity> tasks = new LinkedHashMap<>();
    public final Map<String, Integer> latePayments = new LinkedHashMap<>();
    private final Map<String, Long> taskIds = new LinkedHashMap<>();

    /** An open team of {@code target} places ending at {@code end}, with one locked member per user given. */
    public TeamRow openTeam(String teamId, int target, Instant end, String... users) {
        TeamRow team = new TeamRow();
        team.teamId = teamId;
        team.target = target;
        team.validEnd = end;
        teams.put(teamId, team);
        for (String user : users) {
            lock(teamId, user);
        }
        return team;
    }

    public OrderRow lock(String teamId, String user) {
        OrderRow order = new OrderRow();
        order.orderId = "o-" + user;
        order.userId = user;
        order.outTradeNo = "out-" + user;
        order.teamId = teamId;
        orders.put(order.orderId, order);
        teams.get(teamId).lockCount++;
        return order;
    }

    public OrderRow order(String user) {
        return orders.get("o-" + user);
    }

    @Override
    public MemberOrderView queryOrder(PartnerOrderKey key) {
        return orders.values().stream()
                .filter(o -> o.userId.equals(key.userId()) && o.outTradeNo.equals(key.outTradeNo()))
                .filter(o -> teams.get(o.teamId).source.equals(key.source())
                        && teams.get(o.teamId).channel.equals(key.channel()))
                .findFirst()
                .map(this::view)
                .orElse(null);
    }

    @Override
    public MemberOrderView queryOrderById(String orderId) {
        OrderRow order = orders.get(orderId);
        return order == null ? null : view(order);
    }

    private MemberOrderView view(OrderRow o) {
        TeamRow t = teams.get(o.teamId);
        return MemberOrderView.builder()
                .orderId(o.orderId)
                .userId(o.userId)
                .outTradeNo(o.outTradeNo)
                .activityId(t.activityId)
                .orderStatus(OrderStatus.of(o.status))
                .teamId(t.teamId)
                .teamStatus(TeamStatus.of(t.status))
                .teamValidStartTime(t.validEnd.minusSeconds(86_400))
                .teamValidEndTime(t.validEnd)
                .source(t.source)
                .channel(t.channel)
                .notifyType(t.notifyType)
                .notifyUrl(t.notifyUrl)
                .outTradeTime(o.outTradeTime)
                .lockTime(o.lockTime)
                .teamCompleteCount(t.completeCount)
                .teamTargetCount(t.target)
                .build();
    }

    @Override
    public OwedCallback settle(
            MemberOrderView view, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {
        OrderRow order = orders.get(view.getOrderId());
        TeamRow team = teams.get(view.getTeamId());
        if (order.status != payment.orderFrom().code()
                || team.status != payment.teamFrom().code()
                || team.completeCount >= team.target) {
            throw new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
        }
        order.status = payment.orderTo().code();
        order.outTradeTime = command.getOutTradeTime();
        team.completeCount++;
        boolean paidLastPlace = team.completeCount == team.target;
        team.status = paidLastPlace
                ? payment.teamWhenFilled().code()
                : payment.teamOtherwise().code();
        List<NotifyTaskEntity> owed = payment.callbacksOwed(
                view,
                paidLastPlace,
                () -> orders.values().stream()
                        .filter(o -> o.teamId.equals(team.teamId) && o.status == OrderStatus.PAID.code())
                        .map(o -> new PaidMember(o.source, o.channel, o.outTradeNo))
                        .toList(),
                (source, channel) -> teams.values().stream()
                        .filter(t -> t.activityId == view.getActivityId()
                                && t.source.equals(source)
                                && t.channel.equals(channel))
                        .reduce((a, b) -> b)
                        .map(t -> new NotifySettings(t.notifyType, t.notifyUrl))
                        .orElse(null));
        if (owed.isEmpty()) {
            return null;
        }
        long id = saveTask(owed.get(0));
        List<Long> others =
                owed.subList(1, owed.size()).stream().map(this::saveTask).toList();
        return new OwedCallback(
                id,
                callbackLease == null
                        ? null
                        : NotifyTaskVO.builder()
                                .id(id)
                                .teamId(owed.get(0).getTeamId())
                                .claimToken(callbackLease.token())
                                .build(),
                others);
    }

    @Override
    public int recordLatePayment(MemberOrderView order, SettleCommand command, String refusal) {
        return latePayments.merge(order.getOrderId(), 1, Integer::sum);
    }

    @Override
    public long countLatePayments() {
        return latePayments.size();
    }

    @Override
    public List<Long> refund(MemberRefund refund, Runnable alsoInTransaction) {
        List<Long> ids = refund(refund);
        alsoInTransaction.run();
        return ids;
    }

    @Override
    public List<Long> refund(MemberRefund refund) {
        OrderRow order = orders.get(refund.orderId());
        TeamRow team = teams.get(refund.teamId());
        boolean placeReleasable = refund.type() == RefundType.UNPAID_UNLOCK
                ? team.lockCount >= 1 && team.lockCount - 1 >= team.completeCount
                : refund.teamFrom().stream().anyMatch(s -> s.code() == team.status) && team.completeCount > 0;
        if (order.status != refund.orderFrom().code() || !placeReleasable) {
            throw new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
        }
        order.status = refund.orderTo().code();
        team.lockCount--;
        if (refund.type() != RefundType.UNPAID_UNLOCK) {
            team.completeCount--;
            team.status = team.completeCount == 0
                    ? refund.teamWhenNoPaidLeft().code()
                    : refund.teamOtherwise().code();
        }
        return refund.callbacks().stream().map(this::saveTask).toList();
    }

    @Override
    public List<MemberOrderView> queryUnpaidLockedBefore(
            Instant lockedBefore, MemberOrderView after, int shardIndex, int shardTotal, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> queryOpenTeamsEndedBefore(
            Instant endBefore, String afterTeamId, int shardIndex, int shardTotal, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TeamExpiryVO expireTeam(
            String teamId, Instant endBefore, BiFunction<Team, List<TeamMember>, Optional<TeamExpiry>> decide) {
        TeamRow team = teams.get(teamId);
        List<TeamMember> members = orders.values().stream()
                .filter(o -> o.teamId.equals(teamId) && OrderStatus.of(o.status).isLive())
                .map(o -> new TeamMember(
                        o.orderId,
                        o.userId,
                        o.outTradeNo,
                        team.activityId,
                        OrderStatus.of(o.status),
                        o.source,
                        o.channel))
                .toList();
        TeamExpiry expiry = decide.apply(team.toTeam(), members).orElse(null);
        if (expiry == null || team.status != expiry.teamFrom().code() || !team.validEnd.isBefore(endBefore)) {
            return null;
        }
        team.status = expiry.teamTo().code();
        for (String orderId : expiry.closeOrderIds()) {
            OrderRow order = orders.get(orderId);
            if (order.status != expiry.orderFrom().code()) {
                throw new IllegalStateException("changed under lock");
            }
            order.status = expiry.orderTo().code();
        }
        team.lockCount -= expiry.closeOrderIds().size();
        List<Long> ids = expiry.callbacks().stream().map(this::saveTask).toList();
        return new TeamExpiryVO(expiry.closeOrderIds(), ids);
    }

    /** As the outbox: idempotent on the task key. */
    private long saveTask(NotifyTaskEntity task) {
        tasks.putIfAbsent(task.getTaskKey(), task);
        return taskIds.computeIfAbsent(task.getTaskKey(), k -> (long) taskIds.size() + 1);
    }

    public List<String> taskKeys() {
        return new ArrayList<>(tasks.keySet());
    }
}
