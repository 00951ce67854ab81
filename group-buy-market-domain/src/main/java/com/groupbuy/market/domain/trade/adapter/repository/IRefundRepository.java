package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;

import java.time.Instant;
import java.util.List;

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
     * In one transaction: the order → closed (only from the state it was read in, its take freed); the team's counts
     * given back as {@code type} says (a formed team → complete with a refund, or failed when its last payer left);
     * the refund's callback tasks ({@link com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes}). Returns their
     * ids (none when the partner subscribed to no refund channel).
     *
     * @throws com.groupbuy.market.types.exception.AppException {@code 0004} when the order or team changed meanwhile
     */
    List<Long> refund(MemberOrderView order, RefundType type);

    /** Locked orders taken before {@code lockedBefore}, in open teams, of this shard, oldest first. */
    List<MemberOrderView> queryUnpaidLockedBefore(Instant lockedBefore, int shardIndex, int shardTotal, int limit);

    /** Open teams whose validity ended before {@code endBefore}, of this shard, oldest first. */
    List<String> queryOpenTeamsEndedBefore(Instant endBefore, int shardIndex, int shardTotal, int limit);

    /**
     * In one transaction: the team → failed (only if still open and ended before {@code endBefore}); its unpaid
     * members closed and their places given back; the callback tasks of every member (unpaid ones {@code
     * unpaid_unlock}, paid ones {@code paid_unformed}). Null when the team was no longer open.
     */
    TeamExpiryVO expireTeam(String teamId, Instant endBefore);
}
