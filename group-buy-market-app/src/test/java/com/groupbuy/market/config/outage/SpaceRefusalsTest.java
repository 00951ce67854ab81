package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpaceRefusalsTest {

    private static final String LOCK = "IGroupBuyOrderListDao.insert";
    private static final String SETTLE = "IGroupBuyOrderListDao.updateOrderStatus2COMPLETE";

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final SpaceRefusals refusals = new SpaceRefusals(Duration.ofSeconds(30), now::get);

    @Test
    void nothingRefusedIsNothingHeld() {
        refusals.wrote(LOCK);
        assertThat(refusals.latest()).isNull();
    }

    @Test
    void aRefusalIsHeldUntilTheSameStatementWritesAgain() {
        refusals.refused(LOCK, "The table 'group_buy_order_list' is full");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(refusals.latest())
                .isEqualTo(new SpaceRefusals.Refusal(
                        LOCK, "The table 'group_buy_order_list' is full", Duration.ofSeconds(2)));

        refusals.wrote(SETTLE);
        assertThat(refusals.latest())
                .as("another statement's write fits in pages its table holds: the disk may be full all the same")
                .isNotNull();

        refusals.wrote(LOCK);
        assertThat(refusals.latest())
                .as("the refused statement wrote: the space is back")
                .isNull();
    }

    @Test
    void aRefusalNothingClearsIsLetGoAfterTheWindow() {
        refusals.refused(LOCK, "full");
        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(refusals.latest()).isNotNull();
        now.addAndGet(1);
        assertThat(refusals.latest()).as("30 s without another refusal").isNull();

        refusals.refused(LOCK, "full again");
        assertThat(refusals.latest().message()).as("refused again: held again").isEqualTo("full again");
    }

    @Test
    void theLatestOfSeveralRefusalsIsReportedAndEachIsClearedByItsOwnWrite() {
        refusals.refused(LOCK, "orders full");
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        refusals.refused(SETTLE, "errno 28");
        assertThat(refusals.latest().statement()).isEqualTo(SETTLE);

        refusals.wrote(SETTLE);
        assertThat(refusals.latest().statement()).isEqualTo(LOCK);
        assertThat(refusals.latest().ago()).isEqualTo(Duration.ofSeconds(20));

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(refusals.latest()).as("the older one's window has passed").isNull();
    }

    @Test
    void aZeroWindowHoldsNothing() {
        SpaceRefusals none = new SpaceRefusals(Duration.ZERO, now::get);
        none.refused(LOCK, "full");
        assertThat(none.latest()).isNull();
    }
}
