package com.groupbuy.market.domain.trade.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifyRoutesTest {

    private static final String SUCCESS_URL = "https://mall.example/team-success";
    private static final String REFUND_URL = "https://mall.example/refund";

    private final NotifyRoutes mqOn = new NotifyRoutes(
            true, Map.of(), (source, channel) -> "s01".equals(source) && "c01".equals(channel) ? REFUND_URL : null);
    private final NotifyRoutes mqOff = new NotifyRoutes(false, Map.of(), (source, channel) -> null);

    @Test
    void aCompleteTeamIsToldOnTheChannelItsLockChose() {
        assertThat(mqOn.teamComplete("MQ", null)).isEqualTo(NotifyTarget.mq("topic.team_success", ""));
        assertThat(mqOn.teamComplete("HTTP", SUCCESS_URL)).isEqualTo(NotifyTarget.http(SUCCESS_URL));
    }

    @Test
    void anMqPartnersRefundIsOneMessageOnTeamRefundEvenWhileMqIsOff() {
        assertThat(mqOn.refund(RefundType.PAID_FORMED, "MQ", "s01", "c01"))
                .as("the partner's message, and our own refund event on a key no mall binds")
                .containsExactly(NotifyTarget.mq("topic.team_refund", ""), NotifyTarget.mq("gbm.refund_event", ":mq"));
        assertThat(mqOff.refund(RefundType.UNPAID_UNLOCK, "MQ", "s01", "c01"))
                .containsExactly(NotifyTarget.mq("topic.team_refund", ""));
    }

    @Test
    void anHttpPartnersRefundGoesOnlyToItsSubscribedRefundUrlNeverItsTeamSuccessUrl() {
        assertThat(mqOn.refund(RefundType.PAID_UNFORMED, "HTTP", "s01", "c01"))
                .containsExactly(NotifyTarget.http(REFUND_URL), NotifyTarget.mq("gbm.refund_event", ":mq"));
        assertThat(mqOn.refund(RefundType.PAID_UNFORMED, "HTTP", "s02", "c02"))
                .as("no refund URL: only our refund event, never on the partners' refund key")
                .containsExactly(NotifyTarget.mq("gbm.refund_event", ":mq"));
        assertThat(mqOff.refund(RefundType.PAID_UNFORMED, "HTTP", "s02", "c02")).isEmpty();
    }

    @Test
    void aRefundEventIsKnownByItsTaskKeyAlsoInRowsOfEarlierVersions() {
        assertThat(NotifyRoutes.isRefundEvent("MQ", "00000001:trade_unpaid2refund:o1:mq"))
                .isTrue();
        assertThat(NotifyRoutes.isRefundEvent("MQ", "00000001:trade_unpaid2refund:o1"))
                .isFalse();
        assertThat(NotifyRoutes.isRefundEvent("HTTP", "00000001:trade_unpaid2refund:o1:mq"))
                .isFalse();
    }

    @Test
    void routingKeysAreConfigurablePerCategory() {
        NotifyRoutes custom = new NotifyRoutes(
                true,
                Map.of("trade_settlement", "mall.team.done", "trade_paid_team2refund", "mall.refund.formed"),
                (source, channel) -> null);

        assertThat(custom.routingKey("trade_settlement")).isEqualTo("mall.team.done");
        assertThat(custom.routingKey("trade_paid_team2refund")).isEqualTo("mall.refund.formed");
        assertThat(custom.routingKey("trade_unpaid2refund")).isEqualTo("topic.team_refund");
    }

    /**
     * A partner's routing key set to our refund event's key sent every MQ partner's completion to our internal
     * exchange: our refund consumer's queue took it (and dead-lettered it as malformed), the task counted as
     * delivered, and no mall was ever told its team completed. Such a key, or one the outbox or the wire cannot keep,
     * refuses the start, naming the setting.
     */
    @Test
    void aRoutingKeyThatWouldNeverReachAMallRefusesTheStart() {
        assertThatThrownBy(() -> new NotifyRoutes(true, Map.of("trade_settlement", "gbm.refund_event"), (s, c) -> null))
                .hasMessageContaining("gbm.mq.routing-keys.trade_settlement = 'gbm.refund_event' is our own refund");
        assertThatThrownBy(() -> new NotifyRoutes(true, Map.of("trade_refund", "k".repeat(65)), (s, c) -> null))
                .hasMessageContaining("longer than the 64 characters");
        assertThatThrownBy(
                        () -> new NotifyRoutes(true, Map.of("trade_refund", "\uD83D\uDE00".repeat(64)), (s, c) -> null))
                .hasMessageContaining("255 bytes");
        assertThatCode(() ->
                        new NotifyRoutes(true, Map.of("trade_settlement", "mall.team_done", "x", " "), (s, c) -> null))
                .doesNotThrowAnyException();
    }
}
