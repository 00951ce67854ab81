package com.groupbuy.market.infrastructure.trade.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderRow;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Both reads of a member order reach the domain through one mapping: every stored value, each distinct from the others
 * of its type, lands in its own place of the view, from the DAO's PO and from the settlement read's row with its key.
 */
class MemberOrdersTest {

    private static final Instant OUT_TRADE = Instant.parse("2026-12-01T10:00:00.001Z");
    private static final Instant START = Instant.parse("2026-12-01T09:00:00.002Z");
    private static final Instant END = Instant.parse("2026-12-01T11:00:00.003Z");
    private static final Instant LOCKED = Instant.parse("2026-12-01T09:30:00.004Z");

    @Test
    void thePoMapsEveryColumnToItsOwnPlace() {
        MemberOrderPO po = new MemberOrderPO();
        po.setOrderId("order-1");
        po.setUserId("user-1");
        po.setOutTradeNo("out-1");
        po.setActivityId(100L);
        po.setOrderStatus(1);
        po.setTeamId("team-1");
        po.setTeamStatus(3);
        po.setTeamValidStartTime(START);
        po.setTeamValidEndTime(END);
        po.setSource("s01");
        po.setChannel("c01");
        po.setNotifyType("HTTP");
        po.setNotifyUrl("http://mall/cb");
        po.setOutTradeTime(OUT_TRADE);
        po.setLockTime(LOCKED);
        po.setTeamCompleteCount(2);
        po.setTeamTargetCount(3);

        MemberOrderView view = MemberOrders.toView(po);

        assertStoredValues(view);
        assertThat(view.getUserId()).isEqualTo("user-1");
        assertThat(view.getOutTradeNo()).isEqualTo("out-1");
        assertThat(view.getLockTime()).isEqualTo(LOCKED);
    }

    @Test
    void theSettlementRowTakesUserAndNumberFromItsKeyAndNoLockTime() {
        PartnerOrderRow row = new PartnerOrderRow(
                "order-1", 100L, 1, OUT_TRADE, "team-1", 3, START, END, "s01", "c01", "HTTP", "http://mall/cb", 2, 3);

        MemberOrderView view = MemberOrders.toView(row, new PartnerOrderKey("s09", "c09", "user-1", "out-1"));

        assertStoredValues(view);
        assertThat(view.getUserId()).isEqualTo("user-1");
        assertThat(view.getOutTradeNo()).isEqualTo("out-1");
        assertThat(view.getLockTime()).isNull();
    }

    @Test
    void noRowIsNoOrder() {
        assertThat(MemberOrders.toView((MemberOrderPO) null)).isNull();
        assertThat(MemberOrders.toView(null, new PartnerOrderKey("s01", "c01", "u", "o")))
                .isNull();
    }

    /** The row's own values: the source and channel are the team's as stored, never the key's. */
    private static void assertStoredValues(MemberOrderView view) {
        assertThat(view.getOrderId()).isEqualTo("order-1");
        assertThat(view.getActivityId()).isEqualTo(100L);
        assertThat(view.getOrderStatus()).isEqualTo(OrderStatus.PAID);
        assertThat(view.getTeamId()).isEqualTo("team-1");
        assertThat(view.getTeamStatus()).isEqualTo(TeamStatus.COMPLETE_WITH_REFUND);
        assertThat(view.getTeamValidStartTime()).isEqualTo(START);
        assertThat(view.getTeamValidEndTime()).isEqualTo(END);
        assertThat(view.getSource()).isEqualTo("s01");
        assertThat(view.getChannel()).isEqualTo("c01");
        assertThat(view.getNotifyType()).isEqualTo("HTTP");
        assertThat(view.getNotifyUrl()).isEqualTo("http://mall/cb");
        assertThat(view.getOutTradeTime()).isEqualTo(OUT_TRADE);
        assertThat(view.getTeamCompleteCount()).isEqualTo(2);
        assertThat(view.getTeamTargetCount()).isEqualTo(3);
    }
}
