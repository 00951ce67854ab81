package com.groupbuy.market.domain.trade.model.valobj;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RefundTypeTest {

    @ParameterizedTest(name = "order {0}, team {1} -> {2}")
    @CsvSource({
            "0, 0, UNPAID_UNLOCK",
            "0, 2, UNPAID_UNLOCK",
            "1, 0, PAID_UNFORMED",
            "1, 2, PAID_UNFORMED",
            "1, 1, PAID_FORMED",
            "1, 3, PAID_FORMED",
    })
    void theOrdersAndTheTeamsStateDecideTheKind(int orderStatus, int teamStatus, RefundType expected) {
        assertThat(RefundType.of(orderStatus, teamStatus)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"UNPAID_UNLOCK, unpaid_unlock, trade_unpaid2refund", "PAID_UNFORMED, paid_unformed, trade_paid2refund",
            "PAID_FORMED, paid_formed, trade_paid_team2refund"})
    void eachKindKeepsTheWireNamesMallsBranchOn(RefundType type, String wireType, String category) {
        assertThat(type.getType()).isEqualTo(wireType);
        assertThat(type.getNotifyCategory()).isEqualTo(category);
    }

    @ParameterizedTest
    @CsvSource({"2, 0", "2, 3"})
    void aClosedOrderHasNothingToRefund(int orderStatus, int teamStatus) {
        assertThatThrownBy(() -> RefundType.of(orderStatus, teamStatus)).isInstanceOf(IllegalArgumentException.class);
    }
}
