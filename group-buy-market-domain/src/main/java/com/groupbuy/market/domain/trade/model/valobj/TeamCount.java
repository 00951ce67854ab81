package com.groupbuy.market.domain.trade.model.valobj;

/**
 * A team's payment state as a transaction holds it locked: its status, the places paid, the places it has. What a
 * batch of settlements counts its payments of that team on (#19, {@code TeamPayment#count}).
 */
public record TeamCount(TeamStatus status, int completeCount, int targetCount) {}
