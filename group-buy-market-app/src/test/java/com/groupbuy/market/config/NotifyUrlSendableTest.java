package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.types.net.NotifyUrlPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The policy the lock uses judges a URL's form with the callback client's own parser (OkHttp's): java.net.URI took
 * an IPv6 zone, invalid punycode and over-long labels that OkHttp refuses, so such a lock committed and none of its
 * team's callbacks could ever be sent. The forms OkHttp takes stay accepted.
 */
class NotifyUrlSendableTest {

    private final NotifyUrlPolicy policy = new NotifyUrlPolicyConfig().notifyUrlPolicy(true, false);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://[::1%lo]:8080/cb",
                "http://[fe80::1%25eth0]/cb",
                "http://xn--0.mall.example/cb",
                "http://xn--zz.mall.example/cb",
                "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.mall.example/cb"
            })
    void aUrlTheCallbackClientRefusesIsRefusedByItsForm(String url) {
        assertThat(policy.formRefusal(url)).as(url).contains("callback client");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://[::1]:8080/cb",
                "http://xn--bcher-kva.mall.example/cb",
                "HTTPS://Mall.Example:0443/cb?x=1#f",
                "http://mall.example./cb",
                "http://mall.example:/cb"
            })
    void aUrlTheCallbackClientSendsIsAForm(String url) {
        assertThat(policy.formRefusal(url)).as(url).isNull();
    }
}
