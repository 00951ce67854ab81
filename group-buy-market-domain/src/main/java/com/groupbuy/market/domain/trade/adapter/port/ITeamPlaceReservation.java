package com.groupbuy.market.domain.trade.adapter.port;

import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The atomic gate in front of the team row: a place is taken in one round trip and never past the target, however
 * many locks race. Each place is taken for a holder, the order's identity ({@link #holder}): a retry of a lock still
 * in flight shares the place its first attempt took instead of taking a second one. A new team's counter is made once
 * its opening lock committed, by {@link #countOpened}, with its first place (#19: not before, by a round trip per
 * opening: the team row's unique id is what tells a drawn id apart, and no join can read the team before that commit);
 * {@link #reserve}'s {@code lockedInDb} (the committed places the caller read from the team row) seeds the counter of
 * an existing team when Redis has none (a join that read the team between that commit and {@link #countOpened}, or
 * Redis lost its data); {@link #reconcile} corrects what that seed could not know.
 */
public interface ITeamPlaceReservation {

    /**
     * The identity a place is held under: one partner's order (source, channel, user, out trade number), each part
     * length-prefixed so no two keys collide. The partner is part of it: two malls may send the same user and number,
     * and those are two orders, each owed a place of its own.
     */
    static String holder(PartnerOrderKey order) {
        return order.source().length() + ":" + order.source() + order.channel().length() + ":" + order.channel()
                + order.userId().length() + ":" + order.userId() + ":" + order.outTradeNo();
    }

    /** True when the holder has a place: taken now, or already held by an earlier attempt of the same order. */
    boolean reserve(String teamId, String holder, int target, int lockedInDb, Instant validEnd);

    /**
     * Gives back the holder's place when its lock did not commit. A place another attempt of the same order still
     * shares, or one already confirmed by a committed attempt, stays taken.
     */
    void cancel(String teamId, String holder);

    /** Gives back a committed place (refund, close): the team row has one lock fewer. */
    void release(String teamId);

    /**
     * Gives back the place of an order that left its team (refund, unpaid close, expiry), at most once per order
     * however many ask: the after-commit fast path and the refund consumer both call this for the same order, and
     * a broker may redeliver. True when this call gave the place back; false when it was given back already.
     */
    boolean releaseOrder(String teamId, String orderId);

    /**
     * The counters of teams whose opening locks just committed, each made with its one place (the opening lock's),
     * unless a join seeded it from the committed team row meanwhile (that seed counted the opening, and the join's own
     * place after it: left as it is) or the opening's place was given back already ({@link #releaseOrder}: a refund
     * or close that committed before this call; no counter is made, the first join seeds it from the row). Called
     * after the commit and before the openings are answered; one round trip for them all on a single node.
     */
    void countOpened(List<OpenedTeam> opened);

    /** A team whose opening lock committed: its id, the opening order's id, the team's validity end. */
    record OpenedTeam(String teamId, String orderId, Instant validEnd) {}

    /** The place counters of these teams; a team without one (never reserved, or Redis lost it) is absent. */
    Map<String, Integer> places(Collection<String> teamIds);

    /**
     * Sets the counter to what the database says, to be called while the team row is locked: {@code lockCount}
     * committed places plus every holder still in flight (no order row among {@code holdersInDb}) that reserved within
     * {@code staleAfter}, by the store's own clock (the one that stamped the reservation, whichever instance made it).
     * Holders older than that with no order row died with their process and are dropped.
     * Returns how far the counter was off (counter minus truth); 0 when it was right or does not exist.
     * <p>
     * {@code closedOrderIds} (the team's orders that left it: not in {@code lockCount}) count as given back from now
     * on, as {@link #releaseOrder} would mark them: the counter is the database's count, so a give-back still owed for
     * one of them (a refund whose after-commit release failed, then its repeat, its refund event or a close check)
     * would take the same place off a second time and leave the counter below the database.
     */
    int reconcile(
            String teamId, int lockCount, List<String> holdersInDb, List<String> closedOrderIds, Duration staleAfter);
}
