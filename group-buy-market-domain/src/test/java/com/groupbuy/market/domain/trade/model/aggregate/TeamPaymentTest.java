package com.groupbuy.market.domain.trade.model.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
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

    private static final MemberOrderView ORDER = MemberOrderView.builder()
            .orderId("o-1")
            .teamId("t-1")
            .activityId(7L)
            .source("s01")
            .channel("c01")
            .notifyType("HTTP")
            .notifyUrl("https://mall.example/success")
            .build();

    @Test
    void onlyThePaymentThatPaidTheLastPlaceOwesTheCallbackAndTheMembersAreReadOnlyThen() {
        assertThat(payment.callbackOwed(ORDER, false, (source, channel) -> {
                    throw new AssertionError("the paid members are read only when the callback is owed");
                }))
                .isEmpty();
        NotifyTaskEntity task = payment.callbackOwed(ORDER, true, (source, channel) -> List.of("a", "b", "c"))
                .orElseThrow();
        assertThat(task.getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"a\",\"b\",\"c\"]}");
        assertThat(task.getTaskKey()).isEqualTo("t-1:trade_settlement");
        assertThat(task.getActivityId()).isEqualTo(7L);
        assertThat(task.getSource()).isEqualTo("s01");
        assertThat(task.getChannel()).isEqualTo("c01");
        assertThat(task.getNotifyType()).isEqualTo("HTTP");
        assertThat(task.getNotifyUrl()).isEqualTo("https://mall.example/success");
    }

    /** A team of s01/c01 lists only s01/c01's paid members, whoever else a legacy team may hold. */
    @Test
    void theCallbackListsOnlyThePaidMembersOfTheTeamsOwnPartner() {
        List<String> asked = new java.util.ArrayList<>();
        NotifyTaskEntity task = payment.callbackOwed(ORDER, true, (source, channel) -> {
                    asked.add(source + "/" + channel);
                    return List.of("a");
                })
                .orElseThrow();
        assertThat(asked).containsExactly("s01/c01");
        assertThat(task.getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"a\"]}");
    }

    @Test
    void theCountsReadWithTheOrderOnlyGuessWhichUpdateToTryFirst() {
        assertThat(view(1, 3).paymentLooksLikeTheLast()).isFalse();
        assertThat(view(2, 3).paymentLooksLikeTheLast()).isTrue();
        assertThat(view(3, 3).paymentLooksLikeTheLast()).isTrue();
        assertThat(view(null, null).paymentLooksLikeTheLast()).isFalse();
    }

    private static MemberOrderView view(Integer complete, Integer target) {
        return MemberOrderView.builder()
                .teamCompleteCount(complete)
                .teamTargetCount(target)
                .build();
    }
}
