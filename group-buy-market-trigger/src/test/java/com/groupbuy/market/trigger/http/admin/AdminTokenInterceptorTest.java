package com.groupbuy.market.trigger.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The admin API's door: a caller without a credential is answered 403 {@code 0002} before its handler runs; a token's
 * holder, or a named operator's console session, is let through and recorded for the audit.
 */
class AdminTokenInterceptorTest {

    private static final String SHARED = "shared-token-0123456789abcdef";
    private static final String ALICE = "alice-token-0123456789abcdef";

    private final AdminToken tokens =
            new AdminToken(SHARED, Map.of("alice", HexFormat.of().formatHex(AdminToken.sha256(ALICE))));
    private final AdminTokenInterceptor interceptor = new AdminTokenInterceptor(tokens);

    @Test
    void aCallerWithoutACredentialIsRefusedWith403() throws Exception {
        for (String given : new String[] {null, "", "wrong", SHARED + " ", ALICE.toUpperCase()}) {
            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/admin/switches/x");
            if (given != null) {
                request.addHeader("X-Admin-Token", given);
            }
            MockHttpServletResponse response = new MockHttpServletResponse();

            assertThat(interceptor.preHandle(request, response, null))
                    .as("[%s]", given)
                    .isFalse();
            assertThat(response.getStatus()).isEqualTo(403);
            assertThat(response.getContentType()).isEqualTo("application/json");
            assertThat(response.getContentAsString(StandardCharsets.UTF_8))
                    .isEqualTo("{\"code\":\"0002\",\"info\":\"admin token missing or wrong\",\"data\":null}");
            assertThat(response.getContentLength()).isEqualTo(response.getContentAsByteArray().length);
            assertThat(request.getAttribute(AdminTokenInterceptor.OPERATOR)).isNull();
        }
    }

    @Test
    void aTokensHolderIsLetThroughAndRecorded() throws Exception {
        for (String method : new String[] {"GET", "HEAD", "POST", "PUT", "DELETE"}) {
            MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/v1/admin/switches/x");
            request.addHeader("X-Admin-Token", ALICE);
            MockHttpServletResponse response = new MockHttpServletResponse();

            assertThat(interceptor.preHandle(request, response, null))
                    .as(method)
                    .isTrue();
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(request.getAttribute(AdminTokenInterceptor.OPERATOR))
                    .isEqualTo(new AdminToken.Operator("alice", false));
        }
        MockHttpServletRequest shared = new MockHttpServletRequest("POST", "/api/v1/admin/switches/x");
        shared.addHeader("X-Admin-Token", SHARED);
        assertThat(interceptor.preHandle(shared, new MockHttpServletResponse(), null))
                .isTrue();
        assertThat(shared.getAttribute(AdminTokenInterceptor.OPERATOR)).isEqualTo(AdminToken.Operator.SHARED);
    }

    /** A console session's operator counts while they are configured; a token shown wins over any session. */
    @Test
    void aNamedOperatorsSessionIsACredentialWhileTheyAreAnOperator() throws Exception {
        MockHttpServletRequest session = new MockHttpServletRequest("POST", "/api/v1/admin/switches/x");
        session.setAttribute(AdminToken.SESSION_OPERATOR, new AdminToken.Operator("alice", false));
        assertThat(interceptor.preHandle(session, new MockHttpServletResponse(), null))
                .isTrue();
        assertThat(session.getAttribute(AdminTokenInterceptor.OPERATOR))
                .isEqualTo(new AdminToken.Operator("alice", false));

        MockHttpServletRequest removed = new MockHttpServletRequest("POST", "/api/v1/admin/switches/x");
        removed.setAttribute(AdminToken.SESSION_OPERATOR, new AdminToken.Operator("bob", false));
        MockHttpServletResponse refused = new MockHttpServletResponse();
        assertThat(interceptor.preHandle(removed, refused, null)).isFalse();
        assertThat(refused.getStatus()).isEqualTo(403);

        MockHttpServletRequest wrongToken = new MockHttpServletRequest("POST", "/api/v1/admin/switches/x");
        wrongToken.setAttribute(AdminToken.SESSION_OPERATOR, new AdminToken.Operator("alice", false));
        wrongToken.addHeader("X-Admin-Token", "wrong");
        assertThat(interceptor.preHandle(wrongToken, new MockHttpServletResponse(), null))
                .as("a wrong token is not made good by a session")
                .isFalse();
    }
}
