package com.groupbuy.market.infrastructure.trade.po;

/**
 * One team a settlement batch counts payments on ({@code IGroupBuySettlementDao.countPayments}, #19): the paid count
 * it was locked at (the guard), and the count and status the domain decided it moves to.
 */
public record TeamCountRow(String teamId, int countBefore, int countAfter, int statusAfter) {}
