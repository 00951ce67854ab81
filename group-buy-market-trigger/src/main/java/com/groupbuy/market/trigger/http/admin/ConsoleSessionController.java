package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.trigger.http.Envelope;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
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
 */
@RestController
@RequestMapping("/api/v1/gbm/admin/console/session")
public class ConsoleSessionController {

    /** The login form's body. */
    public record Login(String token) {}

    /** Until when the session holds. */
    public record Session(Instant expiresAt) {}

    private final AdminToken adminToken;
    private final ConsoleSession sessions;
    private final Clock clock;

    public ConsoleSessionController(@Value("${gbm.admin.token:}") String token, Clock clock) {
        this.adminToken = new AdminToken(token);
        this.sessions = new ConsoleSession(token, clock);
        this.clock = clock;
    }

    @PostMapping
    public ResponseEntity<Response<Session>> login(@RequestBody Login login, HttpServletRequest request) {
        if (login == null || !adminToken.admits(login.token())) {
            return AdminToken.refusal();
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, ConsoleSession.setCookie(sessions.issue(), request.isSecure()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(Envelope.success(new Session(Instant.now(clock).plus(ConsoleSession.LIFETIME))));
    }

    /** Whether the browser's session (or a token header) admits it: the console's pages ask before they load. */
    @GetMapping
    public ResponseEntity<Response<Boolean>> current(
            @RequestHeader(value = "X-Admin-Token", required = false) String given) {
        if (!adminToken.admits(given)) {
            return AdminToken.refusal();
        }
        return ResponseEntity.ok(Envelope.success(Boolean.TRUE));
    }

    @DeleteMapping
    public ResponseEntity<Response<Boolean>> logout(HttpServletRequest request) {
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, ConsoleSession.clearCookie(request.isSecure()))
                .body(Envelope.success(Boolean.TRUE));
    }
}
