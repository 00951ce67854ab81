package com.groupbuy.market.trade;

import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fixture of the tests that lock openings' and joins' lookups read together compare ids exactly (#19,
 * {@link GroupLookupExactIdsIT}, {@link GroupJoinLookupExactIdsIT}): each test locks on new goods of an activity of its
 * own ({@link #mall}, {@link #activityId}), reads the lookups through the DAOs, and counts the batches read. The
 * subclasses carry the Spring annotations (the lookups read together and the lock group commit on).
 */
abstract class ExactIdsLookup {

    static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";

    /** The closed status the lookups are given: an order in it is not a live take. */
    static final int CLOSED = 2;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IGroupBuyOrderListDao orders;

    @Autowired
    MeterRegistry meters;

    long activityId;
    TradeClient mall;

    private final AtomicInteger activities;

    /** {@code activities}: the class's own counter of activity ids, a range no other class of the package uses. */
    ExactIdsLookup(AtomicInteger activities) {
        this.activities = activities;
    }

    @BeforeEach
    void activity() {
        activityId = activities.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
    }

    /** The lookups' batches read (count) and the keys they held (total amount). */
    DistributionSummary batches() {
        return meters.get("gbm.lock-lookup.group.commit.batch").summary();
    }
}
