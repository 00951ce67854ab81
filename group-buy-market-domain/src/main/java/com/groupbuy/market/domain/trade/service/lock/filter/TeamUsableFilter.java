package com.groupbuy.market.domain.trade.service.lock.filter;

import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.service.lock.LockContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/**
 * A join names a team of the same activity that is still open, not past its end and not already full. The team is the
 * one the lock's first read found under that id ({@link LockContext#getNamedTeam()}); the write's guarded place
 * taking and Redis's counter decide the race, as they did when this filter read the row itself a moment later.
 */
public class TeamUsableFilter implements RuleFilter<LockOrderCommand, LockContext> {

    @Override
    public void apply(LockOrderCommand command, LockContext context) {
        if (command.getTeamId() == null) {
            return;
        }
        Team team = context.getNamedTeam();
        if (team == null || !team.getActivityId().equals(command.getActivityId())) {
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
