package com.groupbuy.market.domain.trade.service.lock.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.service.lock.LockContext;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * "A user holds at most the take limit of live orders", at its edge: the lock that would be the limit's last take
 * passes, the one after it is refused with E0103 (found by mutation testing: `>=` made `>` survived every unit test).
 */
class TakeLimitFilterTest {

    private final TakeLimitFilter filter = new TakeLimitFilter();

    @ParameterizedTest(name = "{0} live of {1}")
    @CsvSource({"0, 1", "1, 2", "2, 3"})
    void aLockBelowTheLimitTakesItsLastFreeTake(int liveTakes, int takeLimit) {
        assertThatCode(() -> filter.apply(LockOrderCommand.builder().build(), context(liveTakes, takeLimit)))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} live of {1}")
    @CsvSource({"1, 1", "2, 2", "3, 2"})
    void aLockAtOrAboveTheLimitIsRefused(int liveTakes, int takeLimit) {
        assertThatThrownBy(() -> filter.apply(LockOrderCommand.builder().build(), context(liveTakes, takeLimit)))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0103.getCode()));
    }

    private static LockContext context(int liveTakes, int takeLimit) {
        LockContext context = new LockContext(Instant.parse("2026-12-01T09:00:00Z"));
        context.setLiveTakes(liveTakes);
        context.setTrial(TrialBalanceEntity.builder().takeLimitCount(takeLimit).build());
        return context;
    }
}
