package com.groupbuy.market.support;

import com.groupbuy.market.domain.trade.service.lock.TradeIds;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Team and order ids a test scripts: the ids queued in {@link #teams} and {@link #orders} are handed out first, then
 * random ones. A test class takes it in place of the random {@link TradeIds} with {@code
 * @Import(ScriptedTradeIds.Config.class)} and autowires it.
 */
public class ScriptedTradeIds extends TradeIds {

    public final Queue<String> teams = new ConcurrentLinkedQueue<>();
    public final Queue<String> orders = new ConcurrentLinkedQueue<>();

    @Override
    public String teamId() {
        String next = teams.poll();
        return next != null ? next : super.teamId();
    }

    @Override
    public String orderId() {
        String next = orders.poll();
        return next != null ? next : super.orderId();
    }

    /** The scripted ids in place of the random ones. */
    @TestConfiguration
    public static class Config {
        @Bean
        @Primary
        ScriptedTradeIds scriptedTradeIds() {
            return new ScriptedTradeIds();
        }
    }
}
