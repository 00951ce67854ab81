package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** #19: which requests the lean trade path takes; everything else must reach Spring untouched. */
class TradeEdgeFilterTest {

    @Test
    void onlyPlainJsonIsReadOnTheLeanPath() {
        for (String lean : new String[] {
            "application/json", "application/json;charset=UTF-8", "application/json; charset=utf-8", "APPLICATION/JSON"
        }) {
            assertThat(TradeEdgeFilter.plainJson(lean)).as(lean).isTrue();
        }
        for (String spring : new String[] {
            null,
            "",
            "text/plain",
            "application/problem+json",
            "application/json;charset=ISO-8859-1",
            "application/json;charset=UTF-16",
            "application/json;v=1",
            "application/json;charset=UTF-8;v=1",
            "application/json;charset=nope",
            "*/*",
            ";"
        }) {
            assertThat(TradeEdgeFilter.plainJson(spring)).as(spring).isFalse();
        }
    }

    @Test
    void otherRequestsGoDownTheChainWithoutTouchingACollaborator() throws Exception {
        TradeEdgeFilter filter = new TradeEdgeFilter(true, null, null, unused(), unused(), unused(), unused());
        Object[][] requests = {
            {"GET", TradeEdgeFilter.LOCK, "application/json"},
            {"HEAD", TradeEdgeFilter.SETTLE, null},
            {"POST", TradeEdgeFilter.REFUND, "text/plain"},
            {"POST", TradeEdgeFilter.LOCK, null},
            {"POST", TradeEdgeFilter.LOCK + ";a=1", "application/json"},
            {"POST", "/api/v1/gbm/index/query_group_buy_market_config", "application/json"}
        };
        for (Object[] r : requests) {
            MockHttpServletRequest request = new MockHttpServletRequest((String) r[0], (String) r[1]);
            request.setContentType((String) r[2]);
            MockFilterChain chain = new MockFilterChain();
            filter.doFilter(request, new MockHttpServletResponse(), chain);
            assertThat(chain.getRequest()).as(r[0] + " " + r[1] + " " + r[2]).isSameAs(request);
        }
    }

    @Test
    void switchedOffEveryRequestGoesDownTheChain() throws Exception {
        TradeEdgeFilter filter = new TradeEdgeFilter(false, null, null, unused(), unused(), unused(), unused());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", TradeEdgeFilter.LOCK);
        request.setContentType("application/json");
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isSameAs(request);
    }

    private static <T> java.util.function.Supplier<T> unused() {
        return () -> {
            throw new AssertionError("a request for Spring's path looked up a collaborator");
        };
    }
}
