package com.groupbuy.market.domain.trade.service.lock.filter;

import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.service.lock.LockContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/**
 * A join names a team of the caller's own partner and the same activity that is still open, not past its end and not
 * already full. Another partner's team answers exactly as a team that does not exist ({@code E0205}): a team belongs to
 * the partner that opened it ({@link Team#belongsTo}), and its existence is not another partner's to learn. The chain
 * runs before the Redis reservation and the write (group commit or alone), so a refusal takes no place and writes
 * nothing. The team is the one the lock's first read found under that id ({@link LockContext#getNamedTeam()}); the
 * write's guarded place taking and Redis's counter decide the race, as they did when this filter read the row itself a
 * moment later.
 */
public class TeamUsableFilter implements RuleFilter<LockOrderCommand, LockContext> {

    @Override
    public void apply(LockOrderCommand command, LockContext context) {
        if (command.getTeamId() == null) {
            return;
        }
        Team team = context.getNamedTeam();
        if (team == null
                || !team.belongsTo(command.getSource(), command.getChannel())
                || !team.getActivityId().equals(command.getActivityId())) {
            throw new AppException(ResponseCode.E0205);
        }
        if (!team.isOpenAt(context.getNow())) {
            throw new AppException(ResponseCode.E0206);
        }
        if (!team.hasPlaceLeft()) {
            throw new AppException(ResponseCode.E0006);
        }
        context.setTeam(team);
    }
}
