package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.aggregate.TeamExpiry;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Persistence of the reverse flows: refunds, closing unpaid locks, failing expired teams. Every change is guarded by
 * the state it starts from, and writes the callback it owes in the same transaction.
 */
public interface IRefundRepository {

    /** The partner's order and its team, or null when that partner has no such order. */
    MemberOrderView queryOrder(PartnerOrderKey key);

    /** An order by our own id, for our own consumers (never reachable with a partner's request). */
    MemberOrderView queryOrderById(String orderId);

    /**
     * In one transaction, as the domain decided it ({@link MemberRefund}): the order → closed (only from the state it
     * was read in, its take freed); the team's counts given back as its type says (guarded by the team states it
     * admits; a formed team → its decided status); the refund's callback tasks. Returns their ids (none when the
     * partner subscribed to no refund channel).
     *
     * @throws com.groupbuy.market.types.exception.AppException {@code 0004} when the order or team changed meanwhile
     */
    List<Long> refund(MemberRefund refund);

    /**
     * {@link #refund(MemberRefund)}, running {@code alsoInTransaction} last inside its transaction: a write that must
     * commit with the refund or not at all (a close check's consumption record marked done, one commit instead of two).
     */
    List<Long> refund(MemberRefund refund, Runnable alsoInTransaction);

    /**
     * Locked orders taken before {@code lockedBefore}, in open teams, of this shard, oldest first (by lock time, then
     * row id), starting after {@code after} (the last order of the page before, read here; null: from the oldest).
     */
    List<MemberOrderView> queryUnpaidLockedBefore(
            Instant lockedBefore, MemberOrderView after, int shardIndex, int shardTotal, int limit);

    /**
     * Open teams whose validity ended before {@code endBefore}, of this shard, oldest first (by validity end, then row
     * id), starting after the team {@code afterTeamId} (the last team of the page before; null: from the oldest).
     */
    List<String> queryOpenTeamsEndedBefore(
            Instant endBefore, String afterTeamId, int shardIndex, int shardTotal, int limit);

    /**
     * In one transaction: the team's live members and the team row are locked (members first, as settlement locks
     * them), {@code decide} is given that snapshot ({@link Team#expire}) and what it decided is stored with guarded
     * updates: the team → failed (only if still open and ended before {@code endBefore}), the orders it names closed
     * and their places given back, its callback tasks. Null when it decided nothing (the team was no longer open or
     * not due) or the guard refused.
     */
    TeamExpiryVO expireTeam(
            String teamId, Instant endBefore, BiFunction<Team, List<TeamMember>, Optional<TeamExpiry>> decide);
}
