package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.po.JoinLookupPO;
import com.groupbuy.market.infrastructure.trade.po.LookupKeyPO;
import com.groupbuy.market.infrastructure.trade.po.OrderLookupPO;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The first read of concurrent locks in one statement (#19; on unless {@code gbm.lock.group-lookup.enabled} is false):
 * most of that read's cost, in the app and in MariaDB, is per statement (the connection, the statement, the result
 * set; MariaDB's parse and round trip), not per key. One reader thread ({@link GroupRead}, thread
 * {@code lock-lookup-group-commit}) reads whatever queued while it read the previous batch: openings and joins alike.
 * A batch of openings only is read by {@code queryLookups} (the order id and live takes per key); a batch with a join
 * by {@code queryJoinLookups}, which also reads each join's team (an opening's team columns stay null). A lookup that
 * finds no one to share with, or whose batch failed, is read by its caller alone, as with this off. The answers are the
 * ones the read alone gives: the batch is read after each of its callers asked, outside any transaction either way.
 */
public class LockLookupGroup implements AutoCloseable {

    private final GroupRead<LookupKeyPO, JoinLookupPO> group;

    public LockLookupGroup(IGroupBuyOrderListDao orders, IGroupBuyOrderDao teams, int maxBatch, MeterRegistry meters) {
        // No row carries its key (the statement reads the order id and a count, not the key): belongs by its place.
        this.group = new GroupRead<>(
                "lock-lookup",
                "lock lookups",
                keys -> read(orders, teams, keys),
                JoinLookupPO::getIndex,
                (key, row) -> true,
                maxBatch,
                meters);
    }

    /**
     * The key's row read with others; empty when its caller is to read it alone. For a join, the team's columns are
     * null when no team has its id (the caller then reads as it would without a team).
     */
    public Optional<JoinLookupPO> lookup(LookupKeyPO key) {
        return group.read(key);
    }

    private static List<JoinLookupPO> read(
            IGroupBuyOrderListDao orders, IGroupBuyOrderDao teams, List<LookupKeyPO> keys) {
        if (keys.stream().anyMatch(key -> key.teamId() != null)) {
            return teams.queryJoinLookups(keys, States.CLOSED_ORDER);
        }
        List<OrderLookupPO> rows = orders.queryLookups(keys, States.CLOSED_ORDER);
        List<JoinLookupPO> openings = new ArrayList<>(rows.size());
        for (OrderLookupPO row : rows) {
            JoinLookupPO opening = new JoinLookupPO();
            opening.setIndex(row.getIndex());
            opening.setOrderId(row.getOrderId());
            opening.setLiveTakes(row.getLiveTakes());
            openings.add(opening);
        }
        return openings;
    }

    @Override
    public void close() throws InterruptedException {
        group.close();
    }
}
