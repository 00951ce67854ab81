package com.groupbuy.market.domain.trade.model.valobj;

/**
 * A paid member order of a team as its completion callbacks need it: the order's own partner ({@code source} +
 * {@code channel}, which for a team written since teams are kept to their partner is always the team's) and its trade
 * number.
 */
public record PaidMember(String source, String channel, String outTradeNo) {

    public boolean of(String source, String channel) {
        return this.source.equals(source) && this.channel.equals(channel);
    }
}
