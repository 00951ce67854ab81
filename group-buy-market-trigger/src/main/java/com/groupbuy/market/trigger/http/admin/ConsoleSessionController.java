package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.trigger.http.Envelope;
import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's login: the form posts the admin token once, and gets an HttpOnly, SameSite=Strict session cookie
 * (8 h) that the admin API accepts in place of the header ({@link ConsoleSessionFilter}). Wrong token: 403 {@code 0002}.
 * Failed sign-ins count with wrong {@code X-Admin-Token} headers per client address and over all addresses
 * ({@link AdminAuthLimit}): past a limit every sign-in from that address (or, past the limit of all addresses, from
 * any address that has not signed in with the right token lately), with the right token or a wrong one, answers 429
 * {@code 0006} until the window ends, before the token is compared, so the answer never tells whether a guess was
 * right. The cookie carries {@code Secure} as {@code gbm.console.cookie-secure} says ({@link ConsoleCookieSecure};
 * {@code always} in prod). Signing out ends the session on the server ({@link ConsoleSignOuts}): its cookie is refused
 * afterwards even if the browser kept it. {@code Cache-Control: no-store} comes with every admin answer ({@link
 * ResponseHeadersFilter}); set here as well, it was sent twice.
 * <p>
 * The session is its operator's ({@link ConsoleSessions}): signed in with a named operator's token
 * ({@code gbm.admin.operators.<name>}), it acts as that operator; signing it out ends it alone.
 */
@RestController
@RequestMapping("/api/v1/gbm/admin/console/session")
public class ConsoleSessionController {

    /** The login form's body. */
    public record Login(String token) {}

    /** Until when the session holds. */
    public record Session(Instant expiresAt) {}

    private final AdminToken adminToken;
    private final ConsoleSessions sessions;
    private final AdminAuthLimit limit;
    private final ConsoleSignOuts signOuts;
    private final Clock clock;
    private final ConsoleCookieSecure cookieSecure;

    public ConsoleSessionController(
            AdminToken adminToken,
            ConsoleSessions sessions,
            AdminAuthLimit limit,
            ConsoleSignOuts signOuts,
            Clock clock,
            @Value("${gbm.console.cookie-secure:auto}") String cookieSecure) {
        this.cookieSecure = ConsoleCookieSecure.of(cookieSecure);
        this.adminToken = adminToken;
        this.sessions = sessions;
        this.limit = limit;
        this.signOuts = signOuts;
        this.clock = clock;
    }

    @PostMapping
    public ResponseEntity<Response<Session>> login(@RequestBody Login login, HttpServletRequest request) {
        String client = request.getRemoteAddr();
        // As the admin filter: compared first, then the limit (only a wrong token counted, in the same step).
        AdminToken.Operator operator = login == null ? null : adminToken.holder(login.token());
        boolean right = operator != null;
        AdminAuthLimit.Refusal refusal = right ? limit.refusal(client) : limit.failure(client);
        if (refusal != null) {
            return tooManyFailures(refusal);
        }
        if (!right) {
            return AdminToken.refusal();
        }
        limit.succeeded(client);
        return ResponseEntity.ok()
                .header(
                        HttpHeaders.SET_COOKIE,
                        ConsoleSession.setCookie(sessions.issue(operator), cookieSecure.secure(request)))
                .body(Envelope.success(new Session(Instant.now(clock).plus(ConsoleSession.LIFETIME))));
    }

    /**
     * 429 with the rate-limit code: the same answer whatever the token, so it tells nothing about it. Not 200 as a
     * partner's rate limit: the console (and any client) takes a 2xx sign-in for a session.
     */
    private static ResponseEntity<Response<Session>> tooManyFailures(AdminAuthLimit.Refusal refusal) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(refusal.seconds()))
                .body(Response.<Session>builder()
                        .code(ResponseCode.RATE_LIMITER.getCode())
                        .info(refusal.info())
                        .build());
    }

    /** Whether the browser's session (or a token header) admits it: the console's pages ask before they load. */
    @GetMapping
    public ResponseEntity<Response<Boolean>> current(
            @RequestHeader(value = "X-Admin-Token", required = false) String given) {
        if (adminToken.caller(given) == null) {
            return AdminToken.refusal();
        }
        return ResponseEntity.ok(Envelope.success(Boolean.TRUE));
    }

    /**
     * Signs the session out on the server (when the cookie is one of ours and still valid) and clears the cookie. The
     * clearing header is set first, so a browser drops the cookie even when the sign-out cannot be recorded (Redis
     * unreachable: 503 {@code E0401}, and the operator knows the cookie was not ended on the server).
     */
    @DeleteMapping
    public ResponseEntity<Response<Boolean>> logout(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader(HttpHeaders.SET_COOKIE, ConsoleSession.clearCookie(cookieSecure.secure(request)));
        ConsoleSessions.Session session = sessions.signed(ConsoleSessionFilter.cookie(request));
        if (session != null) {
            signOuts.signOut(session.id(), session.expiry());
        }
        return ResponseEntity.ok(Envelope.success(Boolean.TRUE));
    }
}
