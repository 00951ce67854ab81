package com.groupbuy.market.trigger.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Which requests a console cookie stands in for a credential on: a valid, not signed-out session's, sent by a safe
 * method or by the console's own script ({@code X-Gbm-Console: 1}, which no other site's form can send), and never
 * over a token the request shows itself.
 */
class ConsoleSessionFilterTest {

    private static final String SHARED = "shared-token-0123456789abcdef";
    private static final String ALICE = "alice-token-0123456789abcdef";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC);

    private final AdminToken tokens =
            new AdminToken(SHARED, Map.of("alice", HexFormat.of().formatHex(AdminToken.sha256(ALICE))));
    private final byte[] key = new byte[32];
    private final ConsoleSessions sessions = new ConsoleSessions(SHARED, tokens, () -> key, CLOCK);
    private final Set<String> signedOut = new HashSet<>();
    private final ConsoleSignOuts signOuts = new ConsoleSignOuts() {
        @Override
        public boolean signedOut(String id) {
            return signedOut.contains(id);
        }

        @Override
        public void signOut(String id, Instant expiry) {
            signedOut.add(id);
        }
    };
    private final ConsoleSessionFilter filter = new ConsoleSessionFilter(SHARED, sessions, signOuts, 7);

    @Test
    void theSharedTokensSessionCarriesTheTokenOnSafeMethodsAndTheConsolesOwnCalls() throws Exception {
        String cookie = sessions.issue(AdminToken.Operator.SHARED);
        for (String method : new String[] {"GET", "HEAD"}) {
            HttpServletRequest passed = pass(request(method, cookie));
            assertThat(passed.getHeader("X-Admin-Token")).as(method).isEqualTo(SHARED);
            assertThat(passed.getHeader("x-admin-token")).isEqualTo(SHARED);
            assertThat(Collections.list(passed.getHeaders("X-Admin-Token"))).containsExactly(SHARED);
            assertThat(Collections.list(passed.getHeaderNames())).contains("X-Admin-Token", "Accept");
            assertThat(passed.getHeader("Accept")).isEqualTo("application/json");
            assertThat(Collections.list(passed.getHeaders("Accept"))).containsExactly("application/json");
        }
        MockHttpServletRequest console = request("POST", cookie);
        console.addHeader(ConsoleSessionFilter.CONSOLE_HEADER, "1");
        assertThat(pass(console).getHeader("X-Admin-Token")).isEqualTo(SHARED);
    }

    /** Another site's form can post with the browser's cookie, but cannot add the console's header. */
    @Test
    void aStateChangeWithoutTheConsolesHeaderIsNotTheSessions() throws Exception {
        String cookie = sessions.issue(AdminToken.Operator.SHARED);
        for (String header : new String[] {null, "0", "true", "11"}) {
            MockHttpServletRequest post = request("POST", cookie);
            if (header != null) {
                post.addHeader(ConsoleSessionFilter.CONSOLE_HEADER, header);
            }
            HttpServletRequest passed = pass(post);
            assertThat(passed.getHeader("X-Admin-Token")).as("[%s]", header).isNull();
            assertThat(passed).isSameAs(post);
        }
        String alice = sessions.issue(tokens.holder(ALICE));
        MockHttpServletRequest delete = request("DELETE", alice);
        pass(delete);
        assertThat(delete.getAttribute(AdminToken.SESSION_OPERATOR)).isNull();
    }

    @Test
    void aNamedOperatorsSessionNamesThemAndCarriesNoToken() throws Exception {
        MockHttpServletRequest get = request("GET", sessions.issue(tokens.holder(ALICE)));

        HttpServletRequest passed = pass(get);

        assertThat(passed).isSameAs(get);
        assertThat(passed.getHeader("X-Admin-Token")).isNull();
        assertThat(get.getAttribute(AdminToken.SESSION_OPERATOR)).isEqualTo(new AdminToken.Operator("alice", false));
    }

    @Test
    void aSignedOutForgedOrOverriddenSessionIsNobodys() throws Exception {
        String shared = sessions.issue(AdminToken.Operator.SHARED);
        String alice = sessions.issue(tokens.holder(ALICE));

        MockHttpServletRequest forged = request("GET", shared.substring(0, shared.length() - 2) + "xx");
        assertThat(pass(forged).getHeader("X-Admin-Token")).isNull();

        MockHttpServletRequest shown = request("GET", shared);
        shown.addHeader("X-Admin-Token", "wrong");
        assertThat(pass(shown).getHeader("X-Admin-Token"))
                .as("the token shown stands")
                .isEqualTo("wrong");
        MockHttpServletRequest shownAlice = request("GET", alice);
        shownAlice.addHeader("X-Admin-Token", "wrong");
        pass(shownAlice);
        assertThat(shownAlice.getAttribute(AdminToken.SESSION_OPERATOR)).isNull();

        signedOut.add(sessions.signed(shared).id());
        signedOut.add(sessions.signed(alice).id());
        assertThat(pass(request("GET", shared)).getHeader("X-Admin-Token")).isNull();
        MockHttpServletRequest aliceOut = request("GET", alice);
        pass(aliceOut);
        assertThat(aliceOut.getAttribute(AdminToken.SESSION_OPERATOR)).isNull();

        MockHttpServletRequest otherCookie = new MockHttpServletRequest("GET", "/api/v1/admin/switches");
        otherCookie.setCookies(new Cookie("OTHER", sessions.issue(AdminToken.Operator.SHARED)));
        assertThat(pass(otherCookie).getHeader("X-Admin-Token")).isNull();
    }

    @Test
    void anUnreachableSignOutStoreIs503NeverASession() throws Exception {
        ConsoleSessionFilter unreachable = new ConsoleSessionFilter(
                SHARED,
                sessions,
                new ConsoleSignOuts() {
                    @Override
                    public boolean signedOut(String id) {
                        throw new DependencyUnavailableException("redis", "down", null);
                    }

                    @Override
                    public void signOut(String id, Instant expiry) {}
                },
                7);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        unreachable.doFilter(request("GET", sessions.issue(AdminToken.Operator.SHARED)), response, chain);

        assertThat(chain.getRequest()).as("nothing served").isNull();
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("7");
        assertThat(response.getContentAsString()).contains("\"code\":\"E0401\"");
    }

    private static MockHttpServletRequest request(String method, String cookie) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/v1/admin/switches");
        request.addHeader("Accept", "application/json");
        request.setCookies(new Cookie("theme", "dark"), new Cookie(ConsoleSession.COOKIE, cookie));
        return request;
    }

    private HttpServletRequest pass(MockHttpServletRequest request) throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isNotNull();
        return (HttpServletRequest) chain.getRequest();
    }
}
