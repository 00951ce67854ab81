package com.groupbuy.market.domain.trade.model.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamPaymentTest {

    private final TeamPayment payment = new TeamPayment(new NotifyRoutes(false, Map.of(), (s, c) -> null));

    @Test
    void thePaymentsTransitionsAreTheStateMachines() {
        assertThat(payment.orderFrom()).isEqualTo(OrderStatus.LOCKED);
        assertThat(payment.orderTo()).isEqualTo(OrderStatus.PAID);
        assertThat(payment.teamFrom()).isEqualTo(TeamStatus.OPEN);
        assertThat(payment.teamWhenFilled()).isEqualTo(TeamStatus.COMPLETE);
        assertThat(payment.teamOtherwise()).isEqualTo(TeamStatus.OPEN);
    }

    @Test
    void onlyThePaymentThatCompletedTheTeamOwesTheCallback() {
        assertThat(payment.callbackOwed(TeamTest.team(TeamStatus.OPEN, 3, 3, 2), List::of))
                .isEmpty();
        assertThat(payment.callbackOwed(TeamTest.team(TeamStatus.COMPLETE, 3, 3, 3), () -> List.of("a", "b", "c")))
                .get()
                .extracting(t -> t.getBody())
                .isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"a\",\"b\",\"c\"]}");
    }

    @Test
    void aReadBackThatContradictsTheCountsIsRefused() {
        assertThatThrownBy(() -> payment.callbackOwed(TeamTest.team(TeamStatus.OPEN, 3, 3, 3), List::of))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> payment.callbackOwed(TeamTest.team(TeamStatus.COMPLETE, 3, 3, 2), List::of))
                .isInstanceOf(IllegalStateException.class);
    }
}
