package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which requests {@link ContentTypeCheckFilter} refuses 415 before their body is read, and which it lets through. */
class ContentTypeCheckFilterTest {

    private static final String UNUSABLE = "send application/json";
    private static final String TWO_TYPES = "send one Content-Type, application/json";
    private static final String TWO_CHARSETS = "name one charset in the Content-Type, application/json";
    private static final String ENCODED =
            "a Content-Encoding is not accepted: send the body uncompressed, without the header";

    @Test
    void aRequestThatDeclaresNothingIsLetThrough() {
        MockHttpServletRequest get =
                new MockHttpServletRequest("GET", "/api/v1/gbm/index/query_group_buy_market_config");
        assertThat(ContentTypeCheckFilter.refusal(get)).isNull();
        assertThat(ContentTypeCheckFilter.refusal(new MockHttpServletRequest("POST", TradeEdgeFilter.LOCK)))
                .as("no Content-Type: Spring answers a missing body")
                .isNull();
    }

    @Test
    void aJsonBodyInAKnownCharsetIsLetThrough() {
        for (String type : List.of(
                "application/json",
                "application/json;charset=UTF-8",
                "application/json; charset=utf-8",
                "APPLICATION/JSON;CHARSET=UTF-16",
                "application/json;charset=ISO-8859-1",
                "application/json;charset=\"UTF-8\"",
                "application/json;v=1;charset=UTF-8",
                "application/json;v=\"a;charset=x\";charset=UTF-8")) {
            assertThat(ContentTypeCheckFilter.refusal(post(type))).as(type).isNull();
        }
    }

    @Test
    void aConcreteTypeThatIsNotJsonIsLeftToSpringsReaders() {
        // Usable as a type: Spring's readers answer it 415 (none reads it), not this filter.
        for (String type : List.of("text/plain", "application/yaml", "application/x-www-form-urlencoded")) {
            assertThat(ContentTypeCheckFilter.refusal(post(type))).as(type).isNull();
        }
    }

    @Test
    void aContentTypeNoReaderCouldHonourIsRefused() {
        for (String type : List.of(
                "*/*",
                "application/*",
                "*/json",
                "",
                ";",
                "json",
                "application/json;charset=nope",
                "application/json;charset=UTF-9000",
                "application/json;charset=\"UTF-8")) {
            assertThat(ContentTypeCheckFilter.refusal(post(type))).as(type).isEqualTo(UNUSABLE);
        }
    }

    @Test
    void twoContentTypeHeadersAreRefusedEvenWhenTheyAgree() {
        for (String second : List.of("text/plain", "application/json")) {
            // The mock keeps one Content-Type header (a second one replaces it); Tomcat keeps each one sent.
            MockHttpServletRequest request = new MockHttpServletRequest("POST", TradeEdgeFilter.LOCK) {
                @Override
                public Enumeration<String> getHeaders(String name) {
                    return "Content-Type".equalsIgnoreCase(name)
                            ? Collections.enumeration(List.of("application/json", second))
                            : super.getHeaders(name);
                }
            };
            request.setContentType("application/json");
            assertThat(ContentTypeCheckFilter.refusal(request)).as(second).isEqualTo(TWO_TYPES);
        }
    }

    @Test
    void aContentTypeNamingItsCharsetTwiceIsRefusedEvenWhenTheyAgree() {
        for (String type : List.of(
                "application/json;charset=UTF-8;charset=UTF-16",
                "application/json;charset=UTF-16;charset=UTF-8",
                "application/json; charset=UTF-8; Charset=utf-8",
                "application/json;charset=UTF-8;v=1;CHARSET=UTF-8",
                "application/json;charset=\"UTF-8\";charset=UTF-8")) {
            assertThat(ContentTypeCheckFilter.refusal(post(type))).as(type).isEqualTo(TWO_CHARSETS);
        }
    }

    @Test
    void anyContentEncodingButIdentityIsRefused() {
        for (String encoding : List.of("gzip", "deflate", "br", "identity, br", "gzip, identity", "x-unknown")) {
            MockHttpServletRequest request = post("application/json");
            request.addHeader("Content-Encoding", encoding);
            assertThat(ContentTypeCheckFilter.refusal(request)).as(encoding).isEqualTo(ENCODED);
        }
        MockHttpServletRequest twoHeaders = post("application/json");
        twoHeaders.addHeader("Content-Encoding", "identity");
        twoHeaders.addHeader("Content-Encoding", "gzip");
        assertThat(ContentTypeCheckFilter.refusal(twoHeaders))
                .as("identity, then gzip")
                .isEqualTo(ENCODED);
        MockHttpServletRequest withoutType = new MockHttpServletRequest("POST", TradeEdgeFilter.LOCK);
        withoutType.addHeader("Content-Encoding", "gzip");
        assertThat(ContentTypeCheckFilter.refusal(withoutType))
                .as("no Content-Type")
                .isEqualTo(ENCODED);
    }

    @Test
    void identityIsNoEncodingAtAll() {
        for (String encoding : List.of("identity", "IDENTITY", " identity ", "identity, identity", "", ",")) {
            MockHttpServletRequest request = post("application/json");
            request.addHeader("Content-Encoding", encoding);
            assertThat(ContentTypeCheckFilter.refusal(request))
                    .as("[" + encoding + "]")
                    .isNull();
        }
    }

    @Test
    void aRefusalIsAnswered415WithTheEnvelopeAndGoesNoFurther() throws Exception {
        MockHttpServletRequest request = post("application/json;charset=UTF-8;charset=UTF-16");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new ContentTypeCheckFilter().doFilter(request, response, chain);
        assertThat(chain.getRequest()).as("the chain was not called").isNull();
        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(response.getContentType()).startsWith("application/json");
        JsonNode envelope = new ObjectMapper().readTree(response.getContentAsByteArray());
        assertThat(envelope.path("code").asText()).isEqualTo("0002");
        assertThat(envelope.path("info").asText()).isEqualTo("illegal parameter: " + TWO_CHARSETS);
        assertThat(envelope.has("data")).isTrue();

        MockHttpServletRequest fine = post("application/json;charset=UTF-8");
        MockFilterChain through = new MockFilterChain();
        new ContentTypeCheckFilter().doFilter(fine, new MockHttpServletResponse(), through);
        assertThat(through.getRequest()).as("the chain was called").isSameAs(fine);
    }

    private static MockHttpServletRequest post(String contentType) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", TradeEdgeFilter.LOCK);
        request.addHeader("Content-Type", contentType);
        return request;
    }
}
