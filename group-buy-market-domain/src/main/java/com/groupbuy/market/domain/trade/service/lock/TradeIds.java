package com.groupbuy.market.domain.trade.service.lock;

import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * Draws the ids a lock writes: 8 digits for a team, 12 for an order (the shapes partners store), no leading zero.
 * Random, so uniqueness is the database's unique keys; a lock that draws a taken id draws again.
 */
@Component
public class TradeIds {

    public String teamId() {
        return digits(8);
    }

    public String orderId() {
        return digits(12);
    }

    private static String digits(int n) {
        long low = (long) Math.pow(10, n - 1);
        return Long.toString(ThreadLocalRandom.current().nextLong(low, low * 10));
    }
}
