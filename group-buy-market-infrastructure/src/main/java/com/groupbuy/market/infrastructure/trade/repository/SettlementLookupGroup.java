package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderLookupRow;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;

/**
 * Settlements' order read ({@code queryOrder}: the partner's order by its key, with its team) for concurrent
 * settlements in one statement (#19, branch settleread; on unless {@code gbm.settlement.group-lookup.enabled} is false): the
 * one statement a settlement still sent alone on its request thread. One reader thread ({@link GroupRead}, thread
 * {@code settlement-lookup-group-commit}, meters {@code gbm.settlement-lookup.group.commit.*}) reads whatever queued
 * while it read the previous batch ({@code IGroupBuySettlementDao.queryOrders}). Each row carries its order's own key
 * as stored, and a row is its caller's only if that key equals the caller's exactly ({@link String#equals}: case and
 * trailing spaces count, and a partner finds only its own source + channel's order), whatever the database compared:
 * a row that is not fails the batch, whose callers then read alone.
 */
public class SettlementLookupGroup implements AutoCloseable {

    private final GroupRead<PartnerOrderKey, PartnerOrderLookupRow> group;

    public SettlementLookupGroup(IGroupBuySettlementDao dao, int maxBatch, MeterRegistry meters) {
        this.group = new GroupRead<>(
                "settlement-lookup",
                "settlement order reads",
                dao::queryOrders,
                PartnerOrderLookupRow::index,
                SettlementLookupGroup::isItsOwn,
                maxBatch,
                meters);
    }

    /**
     * The key's row read with others (its {@link PartnerOrderLookupRow#order()} null when the partner has no such
     * order); empty when its caller is to read alone.
     */
    public Optional<PartnerOrderLookupRow> lookup(PartnerOrderKey key) {
        return group.read(key);
    }

    /** Found: the stored key equals the caller's, every part exactly. Not found: nothing of an order was read. */
    static boolean isItsOwn(PartnerOrderKey key, PartnerOrderLookupRow row) {
        if (row.orderId() == null) {
            return row.userId() == null;
        }
        return Objects.equals(key.userId(), row.userId())
                && Objects.equals(key.outTradeNo(), row.outTradeNo())
                && Objects.equals(key.source(), row.orderSource())
                && Objects.equals(key.channel(), row.orderChannel());
    }

    @Override
    public void close() throws InterruptedException {
        group.close();
    }
}
