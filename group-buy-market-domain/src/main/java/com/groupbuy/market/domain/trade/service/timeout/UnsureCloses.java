package com.groupbuy.market.domain.trade.service.timeout;

import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders whose close threw in a run (its commit answer lost and not readable back, or any other failure), by order id:
 * the next run reads each again. A close that had in fact committed is no longer among the locks the next run pages
 * through, so without this nothing that sees it closed would give its Redis place back before the refund event (MQ
 * on) or the reconciler. Kept by this instance only, at most {@link #MAX}.
 */
final class UnsureCloses {

    // Logged under the timeout job's logger, as it always was: operators filter on that name.
    private static final Logger log = LoggerFactory.getLogger(TradeTimeoutService.class);

    static final int MAX = 10_000;

    private final Map<String, MemberOrderView> orders = new ConcurrentHashMap<>();
    private final IRefundRepository repository;
    private final TradeRefundService refundService;

    UnsureCloses(IRefundRepository repository, TradeRefundService refundService) {
        this.repository = repository;
        this.refundService = refundService;
    }

    /** The close of {@code order} threw: the next {@link #recheck} reads it again (none past {@link #MAX}). */
    void remember(MemberOrderView order) {
        if (orders.size() < MAX) {
            orders.put(order.getOrderId(), order);
        }
    }

    /**
     * The orders whose close threw in an earlier run, read again: one found closed had committed after all, and its
     * place is given back (once per order, a Redis failure only logged); one still locked is left to this run's
     * paging; one whose read fails is kept for the next run, with every one not read yet (this run reads no further).
     */
    void recheck() {
        for (MemberOrderView earlier : List.copyOf(orders.values())) {
            MemberOrderView now;
            try {
                now = repository.queryOrderById(earlier.getOrderId());
            } catch (RuntimeException e) {
                log.warn("timeout close: order={} not read again this run ({})", earlier.getOrderId(), e.toString());
                return;
            }
            orders.remove(earlier.getOrderId());
            if (now != null
                    && now.getTeamId().equals(earlier.getTeamId())
                    && refundService.givePlaceBackOfClosed(now)) {
                log.info(
                        "timeout close: order={} team={} found closed after its close threw; place given back",
                        now.getOrderId(),
                        now.getTeamId());
            }
        }
    }
}
