package com.groupbuy.market.domain.trade.service.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.model.valobj.SwitchValues;
import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.types.exception.AppException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** #17: the user's bucket is asked before the pair's, a refusal is 0006, and a rate of 0 asks no bucket at all. */
class TradeRateGuardTest {

    private final List<String> asked = new ArrayList<>();
    private boolean userAdmits = true;
    private boolean pairAdmits = true;

    private final ITradeRateLimiter limiter = new ITradeRateLimiter() {
        @Override
        public boolean tryAcquirePair(String source, String channel, int perSecond) {
            asked.add("pair " + source + ":" + channel + "@" + perSecond);
            return pairAdmits;
        }

        @Override
        public boolean tryAcquireUser(String source, String channel, String userId, int perSecond) {
            asked.add("user " + userId + "@" + perSecond);
            return userAdmits;
        }
    };

    @Test
    void userFirstThenPair() {
        new TradeRateGuard(limiter, () -> switches("7", "s01:c01=20")).admit("lock", "s01", "c01", "u1");
        assertThat(asked).containsExactly("user u1@7", "pair s01:c01@20");
    }

    @Test
    void aRefusingUserBucketSparesThePairBudget() {
        userAdmits = false;
        assertThatThrownBy(() -> new TradeRateGuard(limiter, () -> switches("7", "s01:c01=20"))
                        .admit("lock", "s01", "c01", "u1"))
                .isInstanceOf(AppException.class)
                .extracting("code")
                .isEqualTo("0006");
        assertThat(asked).containsExactly("user u1@7");
    }

    @Test
    void aRefusingPairBucketIs0006() {
        pairAdmits = false;
        assertThatThrownBy(() -> new TradeRateGuard(limiter, () -> switches("0", "s01:c01=20"))
                        .admit("settle", "s01", "c01", "u1"))
                .isInstanceOf(AppException.class)
                .extracting("code")
                .isEqualTo("0006");
    }

    @Test
    void noLimitAsksNoBucket() {
        new TradeRateGuard(limiter, () -> switches("0", "")).admit("lock", "s01", "c01", "u1");
        assertThat(asked).isEmpty();
    }

    private static LiveSwitchesVO switches(String user, String pairs) {
        Map<SwitchName, String> values = SwitchValues.unset();
        values.put(SwitchName.RATE_LIMIT_PAIRS, pairs);
        values.put(SwitchName.RATE_LIMIT_USER, user);
        return LiveSwitchesVO.of(values);
    }
}
