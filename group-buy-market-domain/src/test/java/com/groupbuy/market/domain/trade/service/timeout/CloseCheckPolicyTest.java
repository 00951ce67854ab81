package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloseCheckPolicyTest {

    private static final Instant LOCK = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant VALID_END = LOCK.plus(Duration.ofMinutes(15));
    private static final PaymentGrace GRACE =
            new PaymentGrace(Duration.ZERO, Map.of("s01", Map.of("c02", Duration.ofSeconds(30))));

    private static CloseCheckPolicy policy(boolean on, Duration unpaidTimeout) {
        return new CloseCheckPolicy(on, unpaidTimeout, Duration.ofSeconds(60), GRACE);
    }

    @Test
    void aNewTeamsLockWritesTheTeamCheckAndItsOwnUnpaidCheck() {
        List<CloseCheckVO> checks =
                policy(true, Duration.ofMinutes(5)).checksForLock("t1", "o1", true, LOCK, VALID_END, "s01", "c01");

        assertThat(checks)
                .containsExactly(
                        CloseCheckVO.teamExpiry("t1", VALID_END.plusSeconds(60), Duration.ofSeconds(960)),
                        CloseCheckVO.unpaidOrder("t1", "o1", LOCK.plusSeconds(300), Duration.ofSeconds(300)));
        assertThat(checks.get(1).taskKey()).isEqualTo("t1:internal_close_unpaid:o1");
        assertThat(checks.get(0).taskKey()).isEqualTo("t1:internal_close_team");
    }

    @Test
    void aJoinWritesOnlyItsUnpaidCheck_withItsPartnersGrace() {
        assertThat(policy(true, Duration.ofMinutes(5)).checksForLock("t1", "o2", false, LOCK, VALID_END, "s01", "c02"))
                .containsExactly(CloseCheckVO.unpaidOrder("t1", "o2", LOCK.plusSeconds(330), Duration.ofSeconds(330)));
    }

    @Test
    void noUnpaidCheckWithoutATimeoutOrWhenTheTeamsEndComesFirst() {
        assertThat(policy(true, null).checksForLock("t1", "o2", false, LOCK, VALID_END, "s01", "c01"))
                .isEmpty();
        assertThat(policy(true, Duration.ofMinutes(30)).checksForLock("t1", "o2", false, LOCK, VALID_END, "s01", "c01"))
                .isEmpty();
    }

    @Test
    void noChecksWhileTheDelayPathIsOff() {
        assertThat(policy(false, Duration.ofMinutes(5)).checksForLock("t1", "o1", true, LOCK, VALID_END, "s01", "c01"))
                .isEmpty();
    }

    @Test
    void paymentGraceIsPerSourceAndChannelExactly() {
        assertThat(GRACE.of("s01", "c02")).isEqualTo(Duration.ofSeconds(30));
        assertThat(GRACE.of("s01", "C02")).isEqualTo(Duration.ZERO);
        assertThat(GRACE.of("s02", "c02")).isEqualTo(Duration.ZERO);
        assertThat(GRACE.shortest()).isEqualTo(Duration.ZERO);
        assertThat(new PaymentGrace(Duration.ofMinutes(1), Map.of("s", Map.of("c", Duration.ofSeconds(5)))).shortest())
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new PaymentGrace(Duration.ofSeconds(-1), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
