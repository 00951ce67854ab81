package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotifyUrlPolicyTest {

    private final NotifyUrlPolicy strict = new NotifyUrlPolicy(false, false, url -> true);
    private final NotifyUrlPolicy local = new NotifyUrlPolicy(true, false, url -> true);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8091/cb",
                "http://localhost/cb",
                "http://[::1]/cb",
                "http://10.0.0.5/cb",
                "http://192.168.1.1/cb",
                "http://172.16.0.1/cb",
                "http://169.254.169.254/latest/meta-data",
                "http://0.0.0.0/cb",
                "http://100.64.0.1/cb",
                "http://[fd00::1]/cb",
                "http://[fe80::1]/cb",
                "ftp://8.8.8.8/cb",
                "file:///etc/passwd",
                "gopher://8.8.8.8/",
                "http://user:pw@8.8.8.8/cb",
                "not a url",
                "",
                "http:///nohost"
            })
    void strictPolicyRefusesNonPublicOrNonHttpTargets(String url) {
        assertThat(strict.refusal(url)).isNotNull();
    }

    @Test
    void publicAddressIsAccepted() {
        assertThat(strict.refusal("https://8.8.8.8/callback")).isNull();
        assertThat(strict.refusal("http://1.1.1.1:8080/a?b=c")).isNull();
    }

    @Test
    void loopbackOnlyWhenAllowedAndPrivateStillRefused() {
        assertThat(local.refusal("http://127.0.0.1:8091/api/v1/test/group_buy_notify"))
                .isNull();
        assertThat(local.refusal("http://10.1.2.3/cb")).isNotNull();
        assertThat(local.refusal("http://169.254.169.254/")).isNotNull();
    }

    @Test
    void overlongUrlIsRefused() {
        assertThat(strict.refusal("https://8.8.8.8/" + "a".repeat(NotifyUrlPolicy.MAX_LENGTH)))
                .contains("longer");
    }

    /**
     * A port no connection can use: java.net.URI takes any digits, so {@code :99999} passed the form check, the lock
     * committed, and every callback to it failed (OkHttp refuses the URL) until the task was FAIL.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:99999/cb", "http://127.0.0.1:0/cb", "https://8.8.8.8:65536/cb"})
    void aPortOutsideOneTo65535IsRefusedByItsForm(String url) {
        assertThat(local.formRefusal(url)).contains("port");
        assertThat(local.refusal(url)).contains("port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:65535/cb", "http://127.0.0.1:1/cb", "http://127.0.0.1/cb"})
    void aPortFromOneTo65535OrNoneIsAForm(String url) {
        assertThat(local.formRefusal(url)).isNull();
    }

    /**
     * The callback client's parser has the last word on the form: a URL it refuses is refused here (the lock answered
     * 0000 for URLs java.net.URI took and OkHttp did not), asked of the trimmed text, after the rules above.
     */
    @Test
    void aUrlTheCallbackClientRefusesIsRefusedByItsForm() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        NotifyUrlPolicy picky = new NotifyUrlPolicy(true, false, url -> {
            asked.add(url);
            return !url.contains("%");
        });

        assertThat(picky.formRefusal(" http://[::1%lo]:8080/cb ")).contains("callback client");
        assertThat(picky.refusal("http://[::1%lo]:8080/cb")).contains("callback client");
        assertThat(picky.formRefusal("http://[::1]:8080/cb")).isNull();
        assertThat(asked).contains("http://[::1%lo]:8080/cb", "http://[::1]:8080/cb");
        assertThat(picky.formRefusal("ftp://8.8.8.8/cb")).contains("http or https");
    }
}
