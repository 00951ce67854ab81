package com.groupbuy.market.domain.trade.model.valobj;

/**
 * What {@code TeamPayment#count} decided for some payments of one team, in their order: the first {@code counted} are
 * paid (the rest refused), the team then stands at {@code after} (unchanged when none is counted), and {@code
 * completed} says whether the last counted one paid the team's last place (it then owes the completion callbacks).
 */
public record TeamPaymentsCounted(int counted, TeamCount after, boolean completed) {}
