package com.groupbuy.market.domain.trade.model.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.types.enums.ResponseCode;
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
    private static final NotifyRoutes ROUTES =
            new NotifyRoutes(true, Map.of(), (source, channel) -> switch (source + "/" + channel) {
                case "s01/c01" -> "https://mall.example/refund";
                case "s02/c01" -> "https://other.example/refund";
                default -> null;
            });

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

    @ParameterizedTest(name = "{0}, {1} of 3 locked, at {2} -> {3}")
    @CsvSource({
        "OPEN, 3, 2026-12-01T09:59:59Z, E0005",
        "OPEN, 2, 2026-12-01T10:00:00Z, E0206",
        "OPEN, 3, 2026-12-01T10:00:00Z, E0005",
        "FAILED, 1, 2026-12-01T09:00:00Z, E0206",
        "COMPLETE, 3, 2026-12-01T09:00:00Z, E0005",
    })
    void aJoinTheGuardedWriteRefusedIsNotOpenWhenAPlaceWasLeftElseFull(
            TeamStatus status, int locked, Instant now, ResponseCode expected) {
        assertThat(team(status, 3, locked, 0).guardedJoinRefusalAt(now)).isEqualTo(expected);
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
        Optional<NotifyTaskEntity> task = team(TeamStatus.COMPLETE, 2, 2, 2)
                .completionCallback(ROUTES, (source, channel) -> List.of("out-a", "out-b"));
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
        assertThat(team(status, 2, 2, 1).completionCallback(ROUTES, (source, channel) -> {
                    reads.incrementAndGet();
                    return List.of();
                }))
                .isEmpty();
        assertThat(reads).hasValue(0);
    }

    @Test
    void expiryFailsAnIncompleteTeamClosesItsUnpaidMembersAndTellsEveryMember() {
        List<TeamMember> members = List.of(
                new TeamMember("o-1", "u1", "out-1", 7L, OrderStatus.PAID, "s01", "c01"),
                new TeamMember("o-2", "u2", "out-2", 7L, OrderStatus.LOCKED, "s01", "c01"));
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

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
        "s01, c01, true",
        "s02, c01, false",
        "s01, c02, false",
        "S01, c01, false",
        "'s01 ', c01, false",
        "s01, 'c01 ', false",
    })
    void aTeamBelongsOnlyToThePartnerThatOpenedItComparedExactly(String source, String channel, boolean expected) {
        assertThat(team(TeamStatus.OPEN, 3, 1, 0).belongsTo(source, channel)).isEqualTo(expected);
    }

    /** The completion callback lists the paid members of the team's own partner only (a legacy team may hold others). */
    @Test
    void theCompletionCallbackAsksOnlyForTheTeamPartnersPaidMembers() {
        Map<String, List<String>> paidByPartner = Map.of("s01/c01", List.of("out-a"), "s02/c01", List.of("out-b"));
        NotifyTaskEntity task = team(TeamStatus.COMPLETE, 2, 2, 2)
                .completionCallback(ROUTES, (source, channel) -> paidByPartner.get(source + "/" + channel))
                .orElseThrow();
        assertThat(task.getSource()).isEqualTo("s01");
        assertThat(task.getBody()).isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"out-a\"]}");
    }

    /**
     * A team written before teams were kept to their partner may hold another partner's member: its refund goes to
     * that member's own partner (its refund URL, its source and channel), never to the team's; the notify type is the
     * team's. The team partner's member is told exactly as before.
     */
    @Test
    void expiryTellsEachMemberThroughItsOwnOrdersPartner() {
        List<TeamMember> members = List.of(
                new TeamMember("o-1", "u1", "out-1", 7L, OrderStatus.PAID, "s01", "c01"),
                new TeamMember("o-2", "u2", "out-2", 7L, OrderStatus.PAID, "s02", "c01"));
        TeamExpiry expiry = team(TeamStatus.OPEN, 3, 2, 2)
                .expire(END.plusMillis(1), members, ROUTES)
                .orElseThrow();

        List<NotifyTaskEntity> http = expiry.callbacks().stream()
                .filter(t -> "HTTP".equals(t.getNotifyType()))
                .toList();
        assertThat(http)
                .extracting(NotifyTaskEntity::getTaskKey, NotifyTaskEntity::getNotifyUrl, NotifyTaskEntity::getSource)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "t-1:trade_paid2refund:o-1", "https://mall.example/refund", "s01"),
                        org.assertj.core.groups.Tuple.tuple(
                                "t-1:trade_paid2refund:o-2", "https://other.example/refund", "s02"));
        assertThat(expiry.callbacks())
                .filteredOn(t -> t.getBody().contains("\"orderId\":\"o-2\""))
                .allSatisfy(t -> {
                    assertThat(t.getSource()).isEqualTo("s02");
                    assertThat(t.getChannel()).isEqualTo("c01");
                });
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
