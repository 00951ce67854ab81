package com.groupbuy.market.trigger.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** {@code gbm.console.cookie-secure}: auto follows the request, always and never do not. */
class ConsoleCookieSecureTest {

    @Test
    void eachModeDecidesSecure() {
        MockHttpServletRequest plain = new MockHttpServletRequest();
        MockHttpServletRequest tls = new MockHttpServletRequest();
        tls.setSecure(true);
        assertThat(ConsoleCookieSecure.of("auto").secure(plain)).isFalse();
        assertThat(ConsoleCookieSecure.of("auto").secure(tls)).isTrue();
        assertThat(ConsoleCookieSecure.of("always").secure(plain)).isTrue();
        assertThat(ConsoleCookieSecure.of("ALWAYS").secure(tls)).isTrue();
        assertThat(ConsoleCookieSecure.of(" never ").secure(tls)).isFalse();
    }

    @Test
    void anotherValueStopsTheStart() {
        assertThatThrownBy(() -> ConsoleCookieSecure.of("yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gbm.console.cookie-secure");
    }
}
