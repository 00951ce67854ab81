package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.po.LookupKeyPO;
import com.groupbuy.market.infrastructure.trade.po.OrderLookupPO;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The first read of concurrent lock openings in one statement (#19, off unless {@code gbm.lock.group-lookup.enabled}):
 * most of that read's cost, in the app and in MariaDB, is per statement (the connection, the statement, the result
 * set; MariaDB's parse and round trip), not per key. One reader thread ({@link GroupCommit}, thread
 * {@code lock-lookup-group-commit}) reads whatever queued while it read the previous batch; a lookup that finds no
 * one to share with, or whose batch failed, is read by its caller alone, as with this off. The answers are the ones
 * the read alone gives: the batch is read after each of its callers asked, outside any transaction either way.
 */
public class LockLookupGroup implements AutoCloseable {

    private final GroupCommit<LookupKeyPO, OrderLookupPO> group;

    public LockLookupGroup(IGroupBuyOrderListDao orders, int maxBatch, MeterRegistry meters) {
        this.group = new GroupCommit<>(
                "lock-lookup", "lock lookups", keys -> read(orders, keys), true, maxBatch, Duration.ZERO, meters);
    }

    /** The key's row read with others; empty when its caller is to read it alone. */
    public Optional<OrderLookupPO> lookup(LookupKeyPO key) {
        return group.submit(key);
    }

    private static List<OrderLookupPO> read(IGroupBuyOrderListDao orders, List<LookupKeyPO> keys) {
        OrderLookupPO[] rows = new OrderLookupPO[keys.size()];
        for (OrderLookupPO row : orders.queryLookups(keys, States.CLOSED_ORDER)) {
            rows[row.getIndex()] = row;
        }
        for (OrderLookupPO row : rows) {
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
