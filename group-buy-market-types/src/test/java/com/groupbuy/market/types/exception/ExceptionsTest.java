package com.groupbuy.market.types.exception;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.types.enums.ResponseCode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What callers branch on: the dependency that is out, a business code and its text, a refused transition. */
class ExceptionsTest {

    @Test
    void onlyRedisIsRedis() {
        IOException cause = new IOException("refused");
        DependencyUnavailableException redis =
                new DependencyUnavailableException(DependencyUnavailableException.REDIS, "down", cause);

        assertThat(redis.isRedis()).isTrue();
        assertThat(redis.getDependency()).isEqualTo("redis");
        assertThat(redis).hasMessage("redis unavailable: down").hasCause(cause);
        assertThat(new DependencyUnavailableException("database", "down", null).isRedis())
                .isFalse();
        assertThat(new DependencyUnavailableException("Redis", "down", null).isRedis())
                .isFalse();
        assertThat(new CommitOutcomeUnknownException(cause).isRedis()).isFalse();
        assertThat(new CommitOutcomeUnknownException(cause).getDependency()).isEqualTo("database");
    }

    @Test
    void anAppExceptionCarriesItsCodeAndInfo() {
        AppException plain = new AppException(ResponseCode.E0204);
        AppException told = new AppException(ResponseCode.E0204, "notifyUrl must use http or https");
        IOException cause = new IOException("reset");
        AppException caused = new AppException(ResponseCode.HTTP_EXCEPTION, "callback failed", cause);

        assertThat(plain.getCode()).isEqualTo("E0204");
        assertThat(plain.getInfo()).isEqualTo(ResponseCode.E0204.getInfo());
        assertThat(told.getCode()).isEqualTo("E0204");
        assertThat(told.getInfo()).isEqualTo("notifyUrl must use http or https");
        assertThat(caused.getCode()).isEqualTo("0005");
        assertThat(caused.getInfo()).isEqualTo("callback failed");
        assertThat(caused).hasMessage("0005 callback failed").hasCause(cause);
    }

    @Test
    void aTransitionRefusedNamesItsStateAndEvent() {
        IllegalStateTransitionException refused = new IllegalStateTransitionException("order", "CLOSED", "PAY");

        assertThat(refused.state()).isEqualTo("CLOSED");
        assertThat(refused.event()).isEqualTo("PAY");
        assertThat(refused).hasMessage("a order in state CLOSED cannot take PAY");
    }
}
