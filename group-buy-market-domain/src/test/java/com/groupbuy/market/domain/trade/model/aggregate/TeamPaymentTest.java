package com.groupbuy.market.domain.trade.model.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaidMember;
import com.groupbuy.market.domain.trade.model.valobj.TeamCount;
import com.groupbuy.market.domain.trade.model.valobj.TeamPaymentsCounted;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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

    /** A batch's payments of one team counted on its locked row as the guarded statements alone count them in turn. */
    @Test
    void paymentsCountedOnALockedTeamStopAtItsLastPlaceAndOnlyOnAnOpenTeam() {
        TeamCount open = new TeamCount(TeamStatus.OPEN, 1, 3);
        assertThat(payment.count(open, 1))
                .isEqualTo(new TeamPaymentsCounted(1, new TeamCount(TeamStatus.OPEN, 2, 3), false));
        assertThat(payment.count(open, 2))
                .isEqualTo(new TeamPaymentsCounted(2, new TeamCount(TeamStatus.COMPLETE, 3, 3), true));
        // More payments than places (a count that would exceed the target): the ones after the last place refused.
        assertThat(payment.count(open, 5))
                .isEqualTo(new TeamPaymentsCounted(2, new TeamCount(TeamStatus.COMPLETE, 3, 3), true));
        assertThat(payment.count(open, 0)).isEqualTo(new TeamPaymentsCounted(0, open, false));
        // A team no longer open (completed, failed) or already full counts none.
        for (TeamCount stale : List.of(
                new TeamCount(TeamStatus.COMPLETE, 3, 3),
                new TeamCount(TeamStatus.FAILED, 1, 3),
                new TeamCount(TeamStatus.COMPLETE_WITH_REFUND, 2, 3),
                new TeamCount(TeamStatus.OPEN, 3, 3),
                new TeamCount(TeamStatus.OPEN, 4, 3))) {
            assertThat(payment.count(stale, 2))
                    .as(stale.toString())
                    .isEqualTo(new TeamPaymentsCounted(0, stale, false));
        }
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
        assertThat(payment.callbacksOwed(
                        ORDER,
                        false,
                        () -> {
                            throw new AssertionError("the paid members are read only when the callback is owed");
                        },
                        NO_OTHER_PARTNER))
                .isEmpty();
        List<NotifyTaskEntity> owed = payment.callbacksOwed(
                ORDER,
                true,
                () -> List.of(paid("s01", "c01", "a"), paid("s01", "c01", "b"), paid("s01", "c01", "c")),
                NO_OTHER_PARTNER);
        assertThat(owed).hasSize(1);
        NotifyTaskEntity task = owed.get(0);
        assertThat(task.getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"a\",\"b\",\"c\"]}");
        assertThat(task.getTaskKey()).isEqualTo("t-1:trade_settlement");
        assertThat(task.getActivityId()).isEqualTo(7L);
        assertThat(task.getSource()).isEqualTo("s01");
        assertThat(task.getChannel()).isEqualTo("c01");
        assertThat(task.getNotifyType()).isEqualTo("HTTP");
        assertThat(task.getNotifyUrl()).isEqualTo("https://mall.example/success");
    }

    /**
     * A legacy mixed team: the team's partner's callback as ever, listing only its own members; each other partner
     * with paid members gets its own, to the target its own latest team named, listing only its members, under a key
     * of its own. A partner with no team of its own, or an HTTP one with no URL (no known target), is not told.
     */
    @Test
    void aMixedTeamOwesEachPartnerWithPaidMembersItsOwnCallback() {
        List<String> asked = new java.util.ArrayList<>();
        List<NotifyTaskEntity> owed = payment.callbacksOwed(
                ORDER,
                true,
                () -> List.of(
                        paid("s02", "c02", "b1"),
                        paid("s01", "c01", "a1"),
                        paid("s03", "c03", "m1"),
                        paid("s02", "c02", "b2"),
                        paid("s04", "c04", "x1"),
                        paid("s05", "c05", "y1")),
                (source, channel) -> {
                    asked.add(source + "/" + channel);
                    return switch (source) {
                        case "s02" -> new NotifySettings("HTTP", "https://b.example/success");
                        case "s03" -> new NotifySettings("MQ", null);
                        case "s05" -> new NotifySettings("HTTP", null);
                        default -> null;
                    };
                });
        assertThat(asked).containsExactly("s02/c02", "s03/c03", "s04/c04", "s05/c05");
        assertThat(owed).hasSize(3);
        assertThat(owed.get(0).getTaskKey()).isEqualTo("t-1:trade_settlement");
        assertThat(owed.get(0).getSource()).isEqualTo("s01");
        assertThat(owed.get(0).getNotifyUrl()).isEqualTo("https://mall.example/success");
        assertThat(owed.get(0).getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"a1\"]}");
        assertThat(owed.get(1).getTaskKey()).isEqualTo("t-1:trade_settlement:3:s02:c02");
        assertThat(owed.get(1).getSource()).isEqualTo("s02");
        assertThat(owed.get(1).getChannel()).isEqualTo("c02");
        assertThat(owed.get(1).getNotifyType()).isEqualTo("HTTP");
        assertThat(owed.get(1).getNotifyUrl()).isEqualTo("https://b.example/success");
        assertThat(owed.get(1).getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"b1\",\"b2\"]}");
        assertThat(owed.get(2).getTaskKey()).isEqualTo("t-1:trade_settlement:3:s03:c03");
        assertThat(owed.get(2).getNotifyType()).isEqualTo("MQ");
        assertThat(owed.get(2).getNotifyMq()).isEqualTo("topic.team_success");
        assertThat(owed.get(2).getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"m1\"]}");
    }

    /** The team's own partner is told even when none of its members is paid (as before), with an empty list. */
    @Test
    void theTeamsPartnerIsToldEvenWithNoPaidMemberOfItsOwn() {
        List<NotifyTaskEntity> owed = payment.callbacksOwed(
                ORDER,
                true,
                () -> List.of(paid("s02", "c02", "b1")),
                (s, c) -> new NotifySettings("HTTP", "https://b.example/success"));
        assertThat(owed)
                .extracting(NotifyTaskEntity::getBody)
                .containsExactly(
                        "{\"teamId\":\"t-1\",\"outTradeNoList\":[]}",
                        "{\"teamId\":\"t-1\",\"outTradeNoList\":[\"b1\"]}");
    }

    /** Partners compared exactly: a source differing only in case, or a channel with a trailing space, is another. */
    @Test
    void partnersAreComparedExactlyAndTheirKeysNeverMeet() {
        List<NotifyTaskEntity> owed = payment.callbacksOwed(
                ORDER,
                true,
                () -> List.of(paid("S01", "c01", "u"), paid("s01", "c01 ", "v"), paid("s0", "1c01", "w")),
                (s, c) -> new NotifySettings("HTTP", "https://other.example/" + s));
        assertThat(owed)
                .extracting(NotifyTaskEntity::getTaskKey)
                .containsExactly(
                        "t-1:trade_settlement",
                        "t-1:trade_settlement:3:S01:c01",
                        "t-1:trade_settlement:3:s01:c01 ",
                        "t-1:trade_settlement:2:s0:1c01");
        assertThat(owed.get(0).getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[]}");
    }

    private static final BiFunction<String, String, NotifySettings> NO_OTHER_PARTNER = (source, channel) -> {
        throw new AssertionError("a team of one partner reads no other partner's settings");
    };

    private static PaidMember paid(String source, String channel, String outTradeNo) {
        return new PaidMember(source, channel, outTradeNo);
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
