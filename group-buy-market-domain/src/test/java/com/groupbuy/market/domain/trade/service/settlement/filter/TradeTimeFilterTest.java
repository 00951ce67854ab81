package com.groupbuy.market.domain.trade.service.settlement.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.service.settlement.SettleContext;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The payment's time against the team's window, now that the window's times keep their milliseconds. */
class TradeTimeFilterTest {

    private static final Instant START = Instant.parse("2026-12-01T04:52:41.196Z");
    private static final Instant END = Instant.parse("2026-12-01T05:02:41.196Z");

    @Test
    void aPaymentGivenInWholeSecondsInTheSecondTheTeamOpenedIsInTheWindow() {
        assertThatCode(() -> apply("2026-12-01T04:52:41Z")).doesNotThrowAnyException();
    }

    @Test
    void aPaymentBeforeThatSecondIsNot() {
        assertThatThrownBy(() -> apply("2026-12-01T04:52:40.999Z"))
                .isInstanceOf(AppException.class)
                .satisfies(e -> assertThat(((AppException) e).getCode()).isEqualTo("E0106"));
    }

    @Test
    void theWindowClosesAtItsEndToTheMillisecond() {
        assertThatCode(() -> apply("2026-12-01T05:02:41.195Z")).doesNotThrowAnyException();
        assertThatThrownBy(() -> apply("2026-12-01T05:02:41.196Z")).isInstanceOf(AppException.class);
    }

    private static void apply(String paidAt) {
        SettleContext context = new SettleContext();
        context.setOrder(MemberOrderView.builder()
                .teamValidStartTime(START)
                .teamValidEndTime(END)
                .build());
        new TradeTimeFilter()
                .apply(
                        SettleCommand.builder()
                                .outTradeTime(Instant.parse(paidAt))
                                .build(),
                        context);
    }
}
