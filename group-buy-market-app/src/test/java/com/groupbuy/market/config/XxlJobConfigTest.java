package com.groupbuy.market.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whoever holds the executor token can run scripts: prod must not start with an empty or default one. */
class XxlJobConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "default_token"})
    void prodRefusesAnEmptyOrDefaultToken(String token) {
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");

        assertThatThrownBy(() -> executor(prod, token))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("accessToken");
    }

    @Test
    void prodAcceptsARealTokenAndOtherProfilesTheDefault() {
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");

        assertThat(executor(prod, "a-long-random-secret")).isNotNull();
        assertThat(executor(new MockEnvironment(), "default_token")).isNotNull();
    }

    private static Object executor(MockEnvironment environment, String token) {
        return new XxlJobConfig().xxlJobExecutor(environment, "", token, 3, "group-buy-market-executor", "",
                "127.0.0.1", 0, System.getProperty("java.io.tmpdir") + "/gbm-xxl-unit", 30);
    }
}
