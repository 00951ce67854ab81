package com.groupbuy.market.infrastructure.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class NotifyUrlsTest {

    @Test
    void aParseKeptIsTheParseRedone() {
        for (String text : new String[] {
            "http://127.0.0.1:8091/api/v1/test/group_buy_notify",
            "https://mall.example.com/notify?x=1",
            "  https://MALL.example.com:443/n  ",
            "http://bücher.example/notify",
            "https://[::1]:9/x"
        }) {
            HttpUrl first = NotifyUrls.parse(text);
            assertThat(first).isEqualTo(HttpUrl.parse(text));
            assertThat(NotifyUrls.parse(text)).isSameAs(first);
        }
    }

    @Test
    void aTextThatIsNoHttpUrlStaysNone() {
        assertThat(NotifyUrls.parse(null)).isNull();
        for (String text : new String[] {"", "not a url", "ftp://mall.example.com/x", "ws://mall.example.com/x"}) {
            assertThat(NotifyUrls.parse(text)).isNull();
            assertThat(NotifyUrls.parse(text)).isNull();
        }
    }

    @Test
    void manyDistinctTextsNeverGrowItPastItsBound() {
        for (int i = 0; i < NotifyUrls.MAX * 3; i++) {
            String text = "https://mall" + i + ".example.com/notify";
            assertThat(NotifyUrls.parse(text).host()).isEqualTo("mall" + i + ".example.com");
        }
        assertThat(NotifyUrls.size()).isLessThanOrEqualTo(NotifyUrls.MAX);
    }
}
