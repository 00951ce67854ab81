package com.groupbuy.market.infrastructure.trade.po;

import java.util.List;

/**
 * A settlement batch's teams to count payments on ({@code IGroupBuySettlementDao.countPayments}, #19) with the state
 * each must still be in: the statement's one parameter, bound by position ({@code PaymentSql.TeamsBinding}).
 */
public record TeamCounts(List<TeamCountRow> rows, int teamFrom) {}
