package com.groupbuy.market.trade;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link MixedTeamCompletionIT} with group commit of settlements off: the settlement written alone owes each partner
 * of a legacy mixed team its completion callback in its own transaction, exactly as the batch writer does.
 */
@TestPropertySource(properties = "gbm.settlement.group-commit.enabled=false")
class MixedTeamCompletionWrittenAloneIT extends MixedTeamCompletionIT {

    @Override
    boolean groupCommitExpected() {
        return false;
    }
}
