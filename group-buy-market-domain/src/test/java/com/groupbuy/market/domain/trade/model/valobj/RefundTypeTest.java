package com.groupbuy.market.domain.trade.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RefundTypeTest {

    @ParameterizedTest(name = "order {0}, team {1} -> {2}")
    @CsvSource({
        "LOCKED, OPEN, UNPAID_UNLOCK",
        "LOCKED, COMPLETE, UNPAID_UNLOCK",
        "LOCKED, FAILED, UNPAID_UNLOCK",
        "LOCKED, COMPLETE_WITH_REFUND, UNPAID_UNLOCK",
        "PAID, OPEN, PAID_UNFORMED",
        "PAID, FAILED, PAID_UNFORMED",
        "PAID, COMPLETE, PAID_FORMED",
        "PAID, COMPLETE_WITH_REFUND, PAID_FORMED",
    })
    void theOrdersAndTheTeamsStateDecideTheKind(OrderStatus orderStatus, TeamStatus teamStatus, RefundType expected) {
        assertThat(RefundType.of(orderStatus, teamStatus)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "UNPAID_UNLOCK, unpaid_unlock, trade_unpaid2refund",
        "PAID_UNFORMED, paid_unformed, trade_paid2refund",
        "PAID_FORMED, paid_formed, trade_paid_team2refund"
    })
    void eachKindKeepsTheWireNamesMallsBranchOn(RefundType type, String wireType, String category) {
        assertThat(type.getType()).isEqualTo(wireType);
        assertThat(type.getNotifyCategory()).isEqualTo(category);
    }

    @ParameterizedTest
    @EnumSource(TeamStatus.class)
    void aClosedOrderHasNothingToRefund(TeamStatus teamStatus) {
        OrderStatus orderStatus = OrderStatus.CLOSED;
        assertThatThrownBy(() -> RefundType.of(orderStatus, teamStatus)).isInstanceOf(IllegalArgumentException.class);
    }
}
