package com.groupbuy.market.domain.trade.model.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TeamTest {

    private static final Instant END = Instant.parse("2026-12-01T10:00:00Z");
    private static final NotifyRoutes ROUTES = new NotifyRoutes(
            true, Map.of(), (source, channel) -> "s01".equals(source) ? "https://mall.example/refund" : null);

    static Team team(TeamStatus status, int target, int locked, int paid) {
        return Team.builder()
                .teamId("t-1")
                .activityId(7L)
                .targetCount(target)
                .lockCount(locked)
                .completeCount(paid)
                .status(status)
                .validEndTime(END)
                .source("s01")
                .channel("c01")
                .notifyType("HTTP")
                .notifyUrl("https://mall.example/success")
                .build();
    }

    @ParameterizedTest(name = "{0}, {1} of 3 locked, {2} -> {3}")
    @CsvSource({
        "OPEN, 2, 2026-12-01T09:59:59Z, true",
        "OPEN, 3, 2026-12-01T09:59:59Z, false",
        "OPEN, 2, 2026-12-01T10:00:00Z, false",
        "COMPLETE, 2, 2026-12-01T09:00:00Z, false",
        "FAILED, 0, 2026-12-01T09:00:00Z, false",
        "COMPLETE_WITH_REFUND, 2, 2026-12-01T09:00:00Z, false",
    })
    void canTakeAPlaceOnlyWhenOpenBeforeItsEndWithAPlaceLeft(
            TeamStatus status, int locked, Instant now, boolean expected) {
        assertThat(team(status, 3, locked, 0).canTakePlaceAt(now)).isEqualTo(expected);
    }

    @Test
    void thePaymentThatFillsTheLastPlaceCompletesTheTeam() {
        assertThat(team(TeamStatus.OPEN, 3, 3, 1).statusAfterPayment()).isEqualTo(TeamStatus.OPEN);
        assertThat(team(TeamStatus.OPEN, 3, 3, 2).statusAfterPayment()).isEqualTo(TeamStatus.COMPLETE);
        assertThatThrownBy(() -> team(TeamStatus.FAILED, 3, 1, 1).statusAfterPayment())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCompleteTeamOwesOneCallbackWithItsPaidTradeNumbers() {
        Optional<NotifyTaskEntity> task =
                team(TeamStatus.COMPLETE, 2, 2, 2).completionCallback(ROUTES, () -> List.of("out-a", "out-b"));
        assertThat(task).get().satisfies(t -> {
            assertThat(t.getTaskKey()).isEqualTo("t-1:trade_settlement");
            assertThat(t.getNotifyCategory()).isEqualTo("trade_settlement");
            assertThat(t.getNotifyType()).isEqualTo("HTTP");
            assertThat(t.getNotifyUrl()).isEqualTo("https://mall.example/success");
            assertThat(t.getActivityId()).isEqualTo(7L);
            assertThat(t.getSource()).isEqualTo("s01");
            assertThat(t.getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"out-a\",\"out-b\"]}");
        });
    }

    @ParameterizedTest
    @EnumSource(value = TeamStatus.class, names = "COMPLETE", mode = EnumSource.Mode.EXCLUDE)
    void noOtherTeamOwesACallbackNorReadsItsMembers(TeamStatus status) {
        AtomicInteger reads = new AtomicInteger();
        assertThat(team(status, 2, 2, 1).completionCallback(ROUTES, () -> {
                    reads.incrementAndGet();
                    return List.of();
                }))
                .isEmpty();
        assertThat(reads).hasValue(0);
    }

    @Test
    void expiryFailsAnIncompleteTeamClosesItsUnpaidMembersAndTellsEveryMember() {
        List<TeamMember> members = List.of(
                new TeamMember("o-1", "u1", "out-1", 7L, OrderStatus.PAID),
                new TeamMember("o-2", "u2", "out-2", 7L, OrderStatus.LOCKED));
        TeamExpiry expiry = team(TeamStatus.OPEN, 3, 2, 1)
                .expire(END.plusMillis(1), members, ROUTES)
                .orElseThrow();

        assertThat(expiry.teamFrom()).isEqualTo(TeamStatus.OPEN);
        assertThat(expiry.teamTo()).isEqualTo(TeamStatus.FAILED);
        assertThat(expiry.orderFrom()).isEqualTo(OrderStatus.LOCKED);
        assertThat(expiry.orderTo()).isEqualTo(OrderStatus.CLOSED);
        assertThat(expiry.closeOrderIds()).containsExactly("o-2");
        // HTTP partner with a refund URL, MQ on: each member is told at the refund URL and on the refund event.
        assertThat(expiry.callbacks())
                .extracting(NotifyTaskEntity::getTaskKey)
                .containsExactly(
                        "t-1:trade_paid2refund:o-1", "t-1:trade_paid2refund:o-1:mq",
                        "t-1:trade_unpaid2refund:o-2", "t-1:trade_unpaid2refund:o-2:mq");
        assertThat(expiry.callbacks().get(0).getBody())
                .isEqualTo("{\"type\":\"paid_unformed\",\"userId\":"
                        + "\"u1\",\"teamId\":\"t-1\",\"activityId\":7,\"orderId\":\"o-1\",\"outTradeNo\":\"out-1\"}");
        assertThat(expiry.callbacks().get(2).getBody()).startsWith("{\"type\":\"unpaid_unlock\"");
    }

    @Test
    void expiryDecidesNothingForATeamNotDueOrNotOpen() {
        List<TeamMember> none = List.of();
        assertThat(team(TeamStatus.OPEN, 3, 1, 0).expire(END, none, ROUTES)).isEmpty();
        for (TeamStatus status : List.of(TeamStatus.COMPLETE, TeamStatus.FAILED, TeamStatus.COMPLETE_WITH_REFUND)) {
            assertThat(team(status, 3, 3, 3).expire(END.plusSeconds(60), none, ROUTES))
                    .as(status.name())
                    .isEmpty();
        }
    }
}
