package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.po.JoinLookupPO;
import com.groupbuy.market.infrastructure.trade.po.LookupKeyPO;
import com.groupbuy.market.infrastructure.trade.po.OrderLookupPO;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The first read of concurrent locks in one statement (#19; on unless {@code gbm.lock.group-lookup.enabled} is false):
 * most of that read's cost, in the app and in MariaDB, is per statement (the connection, the statement, the result
 * set; MariaDB's parse and round trip), not per key. One reader thread ({@link GroupCommit}, thread
 * {@code lock-lookup-group-commit}) reads whatever queued while it read the previous batch: openings and joins alike.
 * A batch of openings only is read by {@code queryLookups} (the order id and live takes per key); a batch with a join
 * by {@code queryJoinLookups}, which also reads each join's team (an opening's team columns stay null). A lookup that
 * finds no one to share with, or whose batch failed, is read by its caller alone, as with this off. The answers are the
 * ones the read alone gives: the batch is read after each of its callers asked, outside any transaction either way.
 */
public class LockLookupGroup implements AutoCloseable {

    private final GroupCommit<LookupKeyPO, JoinLookupPO> group;

    public LockLookupGroup(IGroupBuyOrderListDao orders, IGroupBuyOrderDao teams, int maxBatch, MeterRegistry meters) {
        this.group = new GroupCommit<>(
                "lock-lookup",
                "lock lookups",
                keys -> read(orders, teams, keys),
                true,
                maxBatch,
                Duration.ZERO,
                meters);
    }

    /**
     * The key's row read with others; empty when its caller is to read it alone. For a join, the team's columns are
     * null when no team has its id (the caller then reads as it would without a team).
     */
    public Optional<JoinLookupPO> lookup(LookupKeyPO key) {
        return group.submit(key);
    }

    private static List<JoinLookupPO> read(
            IGroupBuyOrderListDao orders, IGroupBuyOrderDao teams, List<LookupKeyPO> keys) {
        JoinLookupPO[] rows = new JoinLookupPO[keys.size()];
        if (keys.stream().anyMatch(key -> key.teamId() != null)) {
            for (JoinLookupPO row : teams.queryJoinLookups(keys, States.CLOSED_ORDER)) {
                rows[row.getIndex()] = row;
            }
        } else {
            for (OrderLookupPO row : orders.queryLookups(keys, States.CLOSED_ORDER)) {
                JoinLookupPO opening = new JoinLookupPO();
                opening.setOrderId(row.getOrderId());
                opening.setLiveTakes(row.getLiveTakes());
                rows[row.getIndex()] = opening;
            }
        }
        for (JoinLookupPO row : rows) {
            if (row == null) { // every key has its row; otherwise each caller reads alone
                throw new IllegalStateException(keys.size() + " keys but a row missing");
            }
        }
        return List.of(rows);
    }

    @Override
    public void close() throws InterruptedException {
        group.close();
    }
}
