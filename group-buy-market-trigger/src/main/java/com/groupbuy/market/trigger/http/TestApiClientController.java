package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.response.Response;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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

    private final Deque<Map<String, Object>> received = new ArrayDeque<>();
    private final String answer;

    public TestApiClientController(@Value("${gbm.test-receiver.answer:success}") String answer) {
        this.answer = answer;
    }

    @PostMapping(value = "group_buy_notify", produces = MediaType.TEXT_PLAIN_VALUE)
    public String groupBuyNotify(
            @RequestBody String body,
            @RequestHeader(value = "webhook-id", required = false) String webhookId,
            @RequestHeader(value = "webhook-signature", required = false) String signature) {
        log.info("test receiver got callback id={} body={}", webhookId, body);
        synchronized (received) {
            received.addFirst(Map.of(
                    "receivedAt",
                    Instant.now().toString(),
                    "webhookId",
                    String.valueOf(webhookId),
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
