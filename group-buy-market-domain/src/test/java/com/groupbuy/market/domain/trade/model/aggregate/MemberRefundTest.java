package com.groupbuy.market.domain.trade.model.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.types.exception.IllegalStateTransitionException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberRefundTest {

    private static final NotifyRoutes MQ_PARTNER_ONLY = new NotifyRoutes(false, Map.of(), (s, c) -> null);

    private static MemberOrderView order(OrderStatus order, TeamStatus team, String notifyType) {
        return MemberOrderView.builder()
                .orderId("o-1")
                .userId("u1")
                .outTradeNo("out-1")
                .activityId(7L)
                .orderStatus(order)
                .teamId("t-1")
                .teamStatus(team)
                .source("s01")
                .channel("c01")
                .notifyType(notifyType)
                .build();
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
        "LOCKED, OPEN, UNPAID_UNLOCK, '', , ",
        "PAID, OPEN, PAID_UNFORMED, OPEN, OPEN, OPEN",
        "PAID, COMPLETE, PAID_FORMED, COMPLETE;COMPLETE_WITH_REFUND, FAILED, COMPLETE_WITH_REFUND",
        "PAID, COMPLETE_WITH_REFUND, PAID_FORMED, COMPLETE;COMPLETE_WITH_REFUND, FAILED, COMPLETE_WITH_REFUND",
    })
    void theRefundsTransitionsAreDecidedByTheStatesRead(
            OrderStatus orderStatus,
            TeamStatus teamStatus,
            RefundType type,
            String teamFrom,
            TeamStatus whenNoPaidLeft,
            TeamStatus otherwise) {
        MemberRefund refund = MemberRefund.of(order(orderStatus, teamStatus, "MQ"), type, MQ_PARTNER_ONLY);

        assertThat(refund.orderFrom()).isEqualTo(orderStatus);
        assertThat(refund.orderTo()).isEqualTo(OrderStatus.CLOSED);
        assertThat(refund.teamFrom())
                .containsExactlyElementsOf(
                        teamFrom.isEmpty()
                                ? List.of()
                                : java.util.Arrays.stream(teamFrom.split(";"))
                                        .map(TeamStatus::valueOf)
                                        .toList());
        assertThat(refund.teamWhenNoPaidLeft()).isEqualTo(whenNoPaidLeft);
        assertThat(refund.teamOtherwise()).isEqualTo(otherwise);
        // An MQ partner is told on the refund routing key, even while MQ is off.
        assertThat(refund.callbacks()).singleElement().satisfies(task -> {
            assertThat(task.getTaskKey()).isEqualTo("t-1:" + type.getNotifyCategory() + ":o-1");
            assertThat(task.getNotifyMq()).isEqualTo("topic.team_refund");
            assertThat(task.getBody())
                    .isEqualTo("{\"type\":\"" + type.getType() + "\",\"userId\":\"u1\","
                            + "\"teamId\":\"t-1\",\"activityId\":7,\"orderId\":\"o-1\",\"outTradeNo\":\"out-1\"}");
        });
    }

    /**
     * A paid member of a failed team: the team's expiry told its mall {@code paid_unformed}, so the mall's refund owes
     * nothing again (MQ partner, HTTP partner with a refund URL, and our own refund event alike). Its transitions are
     * the paid-unformed ones.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"MQ", "HTTP"})
    void aPaidMemberOfAFailedTeamWasToldByTheExpiryAndIsOwedNothingAgain(String notifyType) {
        NotifyRoutes everything = new NotifyRoutes(true, Map.of(), (s, c) -> "https://a.example/refund");
        MemberOrderView paidOfFailed = order(OrderStatus.PAID, TeamStatus.FAILED, notifyType);

        MemberRefund refund = MemberRefund.of(paidOfFailed, RefundType.PAID_UNFORMED, everything);

        assertThat(refund.teamFrom()).containsExactly(TeamStatus.FAILED);
        assertThat(refund.teamWhenNoPaidLeft()).isEqualTo(TeamStatus.FAILED);
        assertThat(refund.teamOtherwise()).isEqualTo(TeamStatus.FAILED);
        assertThat(refund.orderTo()).isEqualTo(OrderStatus.CLOSED);
        assertThat(refund.callbacks()).isEmpty();
        assertThat(MemberRefund.of(
                                order(OrderStatus.PAID, TeamStatus.OPEN, notifyType),
                                RefundType.PAID_UNFORMED,
                                everything)
                        .callbacks())
                .as("a paid member leaving an open team is told, and our refund event written")
                .hasSize(2);
    }

    @Test
    void anHttpPartnerWithoutARefundUrlIsOwedNothing() {
        assertThat(MemberRefund.of(
                                order(OrderStatus.LOCKED, TeamStatus.OPEN, "HTTP"),
                                RefundType.UNPAID_UNLOCK,
                                MQ_PARTNER_ONLY)
                        .callbacks())
                .extracting(NotifyTaskEntity::getTaskKey)
                .isEmpty();
    }

    /**
     * A member of another partner in a team written before teams were kept to their partner (legacy data): its refund is
     * owed to its own partner (that partner's refund URL, source and channel), with the team's notify type.
     */
    @Test
    void aLegacyMemberOfAnotherPartnerIsToldThroughItsOwnPartner() {
        NotifyRoutes routes = new NotifyRoutes(
                false, Map.of(), (s, c) -> ("s02".equals(s) && "c02".equals(c)) ? "https://b.example/refund" : null);
        MemberOrderView legacy = order(OrderStatus.PAID, TeamStatus.OPEN, "HTTP").toBuilder()
                .orderSource("s02")
                .orderChannel("c02")
                .build();

        assertThat(MemberRefund.of(legacy, RefundType.PAID_UNFORMED, routes).callbacks())
                .singleElement()
                .satisfies(task -> {
                    assertThat(task.getNotifyUrl()).isEqualTo("https://b.example/refund");
                    assertThat(task.getSource()).isEqualTo("s02");
                    assertThat(task.getChannel()).isEqualTo("c02");
                });
        assertThat(MemberRefund.of(
                                order(OrderStatus.PAID, TeamStatus.OPEN, "HTTP").toBuilder()
                                        .orderSource("s01")
                                        .orderChannel("c01")
                                        .build(),
                                RefundType.PAID_UNFORMED,
                                routes)
                        .callbacks())
                .as("the team's own member: told as before (s01/c01 has no refund URL here)")
                .isEmpty();
    }

    @Test
    void aRefundOfAnotherKindThanTheStatesCallForIsRefused() {
        assertThatThrownBy(() -> MemberRefund.of(
                        order(OrderStatus.PAID, TeamStatus.OPEN, "MQ"), RefundType.UNPAID_UNLOCK, MQ_PARTNER_ONLY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemberRefund.of(
                        order(OrderStatus.CLOSED, TeamStatus.OPEN, "MQ"), RefundType.UNPAID_UNLOCK, MQ_PARTNER_ONLY))
                .isInstanceOf(IllegalStateTransitionException.class);
    }
}
