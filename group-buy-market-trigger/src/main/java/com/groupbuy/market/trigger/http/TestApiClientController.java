package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.text.LogSafeText;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Plays a partner mall on one machine: receives our callbacks, keeps the last 100, answers {@code success} (or
 * {@code error} when {@code gbm.test-receiver.answer=error}, to watch retries) in plain text, as a partner does;
 * its listing and its refusals are in our envelope. Never in prod.
 */
@Slf4j
@Profile("!prod")
@RestController
@RequestMapping("/api/v1/test/")
public class TestApiClientController {

    private static final int KEEP = 100;
    /**
     * The largest body received: above a team's largest completion callback (40 bytes plus 99 per member, 10,000
     * members). Read whole before, so a POST of any size from anyone reaching the port was held in the heap (a hundred
     * of them kept), and logged whole, its line breaks starting lines of our log.
     */
    static final int MAX_BODY = 1 << 20;
    /** Characters of a body the log line shows. */
    private static final int LOGGED = 200;

    private final Deque<Map<String, Object>> received = new ArrayDeque<>();
    private final String answer;

    public TestApiClientController(@Value("${gbm.test-receiver.answer:success}") String answer) {
        this.answer = answer;
    }

    @PostMapping(value = "group_buy_notify", produces = MediaType.TEXT_PLAIN_VALUE)
    public String groupBuyNotify(
            HttpServletRequest request,
            @RequestHeader(value = "webhook-id", required = false) String webhookId,
            @RequestHeader(value = "webhook-timestamp", required = false) String webhookTimestamp,
            @RequestHeader(value = "webhook-signature", required = false) String signature)
            throws IOException {
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new AppException(
                    ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: callback body over " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0) {
            // As when Spring read the body: a POST without one is refused as before.
            throw new HttpMessageNotReadableException(
                    "Required request body is missing", new ServletServerHttpRequest(request));
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        log.info(
                "test receiver got callback id={} body={}",
                LogSafeText.of(webhookId),
                LogSafeText.of(body.length() <= LOGGED ? body : body.substring(0, LOGGED) + "..."));
        synchronized (received) {
            received.addFirst(Map.of(
                    "receivedAt",
                    Instant.now().toString(),
                    "webhookId",
                    String.valueOf(webhookId),
                    // Kept so a newcomer can check the signature by api.md's recipe: it signs id, timestamp and body.
                    "webhookTimestamp",
                    String.valueOf(webhookTimestamp),
                    "signature",
                    String.valueOf(signature),
                    "body",
                    body));
            while (received.size() > KEEP) {
                received.removeLast();
            }
        }
        return answer;
    }

    /** The callbacks received, newest first, in the envelope every endpoint answers with. */
    @GetMapping("group_buy_notify")
    public Response<List<Map<String, Object>>> receivedCallbacks() {
        synchronized (received) {
            return Envelope.success(List.copyOf(received));
        }
    }
}
