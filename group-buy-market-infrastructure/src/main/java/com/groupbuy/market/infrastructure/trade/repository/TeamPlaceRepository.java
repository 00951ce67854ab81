package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamPlaceRepository;
import com.groupbuy.market.domain.trade.model.valobj.LockedTeamPlacesVO;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamPlacesVO;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamsPosition;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.outage.DatabaseConnections;
import com.groupbuy.market.infrastructure.trade.dao.ITeamPlaceDao;
import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.TeamPlacesPO;
import com.groupbuy.market.types.exception.Causes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import lombok.extern.slf4j.Slf4j;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The reconciliation's reads; the team row lock is held by a short transaction around the caller's work. */
@Slf4j
@Repository
public class TeamPlaceRepository implements ITeamPlaceRepository {

    private final ITeamPlaceDao dao;
    private final TransactionTemplate transaction;

    public TeamPlaceRepository(ITeamPlaceDao dao, TransactionTemplate transaction) {
        this.dao = dao;
        this.transaction = transaction;
    }

    @Override
    public List<OpenTeamPlacesVO> queryOpenTeams(
            Instant now, OpenTeamsPosition after, int shardIndex, int shardTotal, int limit) {
        return dao
                .queryOpenTeams(
                        now, after.validEnd(), after.rowId(), shardIndex, shardTotal, limit, TeamStatus.OPEN.code())
                .stream()
                .map(po -> new OpenTeamPlacesVO(
                        po.getId(), po.getTeamId(), po.getLockCount(), po.getValidEndTime(), po.getUpdateTime()))
                .toList();
    }

    /**
     * Null when the team is not open, or when its row lock could not be had: a deadlock, a lock wait timeout or the
     * statement time bound ({@code max_statement_time}) reached while waiting, or the session lost while the look held
     * the lock (MariaDB's {@code idle_transaction_timeout} kills a session idle inside a transaction, and the look
     * waits on Redis under the lock: its commit failed, PlaceLookSessionKilledIT), is logged and the team left to the
     * next sweep (this look wrote nothing to the database), so the look, an auxiliary one, never turns the answer of
     * the lock that asked for it (its refusal) into an error.
     */
    @Override
    public <T> T underTeamLock(String teamId, Function<LockedTeamPlacesVO, T> work) {
        try {
            return lockedLook(teamId, work);
        } catch (DataAccessException e) {
            if (!(e instanceof PessimisticLockingFailureException)
                    && !waitedPastTheStatementBound(e)
                    && !DatabaseConnections.lost(e)) {
                throw e;
            }
            log.warn(
                    "team places look skipped team={} (row lock not had or lost: {}); the next sweep looks again",
                    teamId,
                    String.valueOf(Causes.root(e).getMessage()));
            return null;
        }
    }

    /** MariaDB 1969: the statement was interrupted at {@code max_statement_time}, here while it waited for the row. */
    private static boolean waitedPastTheStatementBound(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 1969) {
                return true;
            }
        }
        return false;
    }

    private <T> T lockedLook(String teamId, Function<LockedTeamPlacesVO, T> work) {
        return transaction.execute(status -> {
            TeamPlacesPO team = dao.lockTeam(teamId);
            if (team == null || TeamStatus.of(team.getStatus()) != TeamStatus.OPEN) {
                return null;
            }
            // Read after the row lock is held: no order of this team can commit until we are done.
            List<GroupBuyOrderListPO> orders = dao.queryOrderKeys(teamId);
            List<String> holders = orders.stream()
                    .map(order -> ITeamPlaceReservation.holder(new PartnerOrderKey(
                            order.getSource(), order.getChannel(), order.getUserId(), order.getOutTradeNo())))
                    .toList();
            List<String> closed = orders.stream()
                    .filter(order -> !OrderStatus.of(order.getStatus()).isLive())
                    .map(GroupBuyOrderListPO::getOrderId)
                    .toList();
            return work.apply(new LockedTeamPlacesVO(
                    team.getLockCount(), Duration.ofNanos(team.getUnchangedMicros() * 1_000L), holders, closed));
        });
    }
}
