package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.api.dto.GoodsMarketRequestDTO;
import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.RefundMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderRequestDTO;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.security.WebhookSignature;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who is let through by the check, on the parsed source and channel: pair {@code free:c} neither signs nor is bound,
 * {@code req:c} must sign, {@code bound:c} is bound to 10.0.0.0/8, {@code both:c} must sign and is bound.
 */
class PartnerSignatureCheckTest {

    private static final String SECRET = "pair_secret";
    private static final String INSIDE = "10.20.30.40";
    private static final String OUTSIDE = "127.0.0.1";

    private final PartnerSignatureCheck check = new PartnerSignatureCheck(
            new PartnerSignaturePolicy(
                    () -> Set.of("req:c", "both:c"),
                    (source, channel) -> SECRET,
                    (source, channel, id, window) -> true,
                    PartnerAddresses.parse(Map.of(
                            "bound", Map.of("c", List.of("10.0.0.0/8")),
                            "both", Map.of("c", List.of("10.0.0.0/8"))))),
            Clock.systemUTC());

    private enum Sig {
        NONE,
        VALID,
        WRONG
    }

    @Test
    void tradeRequestsDecisionTable() {
        Object[][] table = {
            // pair, client, signature, accepted
            {"free", OUTSIDE, Sig.NONE, true},
            {"free", OUTSIDE, Sig.VALID, true},
            {"free", OUTSIDE, Sig.WRONG, false},
            {"req", INSIDE, Sig.NONE, false},
            {"req", OUTSIDE, Sig.VALID, true},
            {"bound", INSIDE, Sig.NONE, true},
            {"bound", "::ffff:" + INSIDE, Sig.NONE, true},
            {"bound", OUTSIDE, Sig.NONE, false},
            {"bound", "::1", Sig.NONE, false},
            {"bound", null, Sig.NONE, false},
            {"bound", "not-an-address", Sig.NONE, false},
            {"bound", OUTSIDE, Sig.VALID, true},
            {"bound", OUTSIDE, Sig.WRONG, false},
            {"bound", INSIDE, Sig.WRONG, false},
            {"both", INSIDE, Sig.NONE, false},
            {"both", OUTSIDE, Sig.VALID, true},
        };
        for (Object[] row : table) {
            String pair = (String) row[0];
            for (Object body : List.of(
                    LockMarketPayOrderRequestDTO.builder()
                            .source(pair)
                            .channel("c")
                            .build(),
                    SettlementMarketPayOrderRequestDTO.builder()
                            .source(pair)
                            .channel("c")
                            .build(),
                    RefundMarketPayOrderRequestDTO.builder()
                            .source(pair)
                            .channel("c")
                            .build())) {
                assertDecision(body, (String) row[1], (Sig) row[2], (Boolean) row[3]);
            }
        }
    }

    /** The trial query never needed a signature; only a bound pair's address holds it, and then a signature frees it. */
    @Test
    void trialQueryDecisionTable() {
        Object[][] table = {
            {"free", OUTSIDE, Sig.NONE, true},
            {"free", OUTSIDE, Sig.WRONG, true},
            {"req", OUTSIDE, Sig.NONE, true},
            {"req", OUTSIDE, Sig.WRONG, true},
            {"bound", INSIDE, Sig.NONE, true},
            {"bound", INSIDE, Sig.WRONG, true},
            {"bound", OUTSIDE, Sig.NONE, false},
            {"bound", OUTSIDE, Sig.WRONG, false},
            {"bound", OUTSIDE, Sig.VALID, true},
            {"both", INSIDE, Sig.NONE, true},
            {"both", OUTSIDE, Sig.NONE, false},
        };
        for (Object[] row : table) {
            Object body = GoodsMarketRequestDTO.builder()
                    .source((String) row[0])
                    .channel("c")
                    .build();
            assertDecision(body, (String) row[1], (Sig) row[2], (Boolean) row[3]);
        }
    }

    /**
     * The rule the tables above pin through requests, as one decision on its four facts: from outside a bound pair's
     * addresses only a signature can pass (and is verified); otherwise the trial query passes, and a trade request is
     * verified when its pair must sign or it is signed.
     */
    @Test
    void theDecisionOnItsFourFacts() {
        String[] table = {
            // kind, outside its pair's addresses, pair must sign, signed -> decision ('*': either)
            "trade no  no  no  ACCEPT",
            "trade no  no  yes VERIFY",
            "trade no  yes no  VERIFY",
            "trade no  yes yes VERIFY",
            "trade yes *   no  REFUSE_OUTSIDE",
            "trade yes *   yes VERIFY",
            "trial no  *   *   ACCEPT",
            "trial yes *   no  REFUSE_OUTSIDE",
            "trial yes *   yes VERIFY",
        };
        int rows = 0;
        for (String line : table) {
            String[] cells = line.split("\\s+");
            for (boolean required : facts(cells[2])) {
                for (boolean signed : facts(cells[3])) {
                    assertThat(PartnerSignatureCheck.decide(
                                    cells[0].equals("trial"), cells[1].equals("yes"), required, signed))
                            .as(line + " (required " + required + ", signed " + signed + ")")
                            .isEqualTo(PartnerSignatureCheck.Decision.valueOf(cells[4]));
                    rows++;
                }
            }
        }
        assertThat(rows).isEqualTo(16);
    }

    private static boolean[] facts(String cell) {
        return cell.equals("*") ? new boolean[] {false, true} : new boolean[] {cell.equals("yes")};
    }

    @Test
    void withNoPairBoundTheTrialQueryIsNotEvenCopied() throws Exception {
        PartnerSignatureCheck unbound = new PartnerSignatureCheck(
                new PartnerSignaturePolicy(
                        () -> Set.of(PartnerSignaturePolicy.ALL),
                        (source, channel) -> SECRET,
                        (source, channel, id, window) -> true,
                        PartnerAddresses.NONE),
                Clock.systemUTC());
        Message message = new Message(new HttpHeaders(), "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(unbound.beforeBodyRead(message, null, GoodsMarketRequestDTO.class, null))
                .isSameAs(message);
    }

    /**
     * The switch is one reading, the one after the body: a pair an operator requires to sign while an unsigned
     * request's body is still arriving (up to gbm.http.body-read-timeout) is held to it. Before, the body was not kept
     * (nothing required a signature when it began) and the request was let through unsigned on that earlier reading.
     */
    @Test
    void aPairRequiredToSignWhileTheBodyArrives() throws Exception {
        AtomicReference<Set<String>> required = new AtomicReference<>(Set.of());
        PartnerSignatureCheck live = new PartnerSignatureCheck(
                new PartnerSignaturePolicy(
                        required::get,
                        (source, channel) -> SECRET,
                        (source, channel, id, window) -> true,
                        PartnerAddresses.NONE),
                Clock.systemUTC());
        Object lock = LockMarketPayOrderRequestDTO.builder()
                .source("late")
                .channel("c")
                .build();
        Object other = SettlementMarketPayOrderRequestDTO.builder()
                .source("free")
                .channel("c")
                .build();
        Object trial =
                GoodsMarketRequestDTO.builder().source("late").channel("c").build();
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        HttpInputMessage lockRead =
                live.beforeBodyRead(new Message(new HttpHeaders(), json), null, lock.getClass(), null);
        HttpInputMessage otherRead =
                live.beforeBodyRead(new Message(new HttpHeaders(), json), null, other.getClass(), null);
        HttpInputMessage trialRead =
                live.beforeBodyRead(new Message(new HttpHeaders(), json), null, trial.getClass(), null);

        required.set(Set.of("late:c"));

        assertThatThrownBy(() -> live.check(lock, lockRead, OUTSIDE))
                .isInstanceOfSatisfying(
                        SignatureRefusedException.class,
                        e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0207));
        assertThat(live.check(other, otherRead, OUTSIDE)).isSameAs(other);
        assertThat(live.check(trial, trialRead, OUTSIDE)).isSameAs(trial);
    }

    /** Only the four trade and trial bodies are checked; any other body (an operator's) is not this check's. */
    @Test
    void onlyTheTradeAndTrialBodiesAreChecked() {
        for (Class<?> type : List.of(
                LockMarketPayOrderRequestDTO.class,
                SettlementMarketPayOrderRequestDTO.class,
                RefundMarketPayOrderRequestDTO.class,
                GoodsMarketRequestDTO.class)) {
            assertThat(check.supports(null, type, null))
                    .as(type.getSimpleName())
                    .isTrue();
        }
        assertThat(check.supports(null, String.class, null)).isFalse();
        assertThat(check.supports(null, Object.class, null)).isFalse();
    }

    /**
     * The body is kept (to be hashed) exactly when a signature may have to be checked: a trade request when some pair
     * must sign or is bound or the request carries a signature, the trial query when some pair is bound.
     */
    @Test
    void theBodyIsKeptExactlyWhenASignatureMayHaveToBeChecked() throws Exception {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        PartnerSignatureCheck nothing = checkOf(Set.of(), PartnerAddresses.NONE);
        PartnerSignatureCheck mustSign = checkOf(Set.of("req:c"), PartnerAddresses.NONE);
        PartnerSignatureCheck bound =
                checkOf(Set.of(), PartnerAddresses.parse(Map.of("b", Map.of("c", List.of("10.0.0.0/8")))));
        HttpHeaders signed = new HttpHeaders();
        signed.add("webhook-signature", "v1,x");

        Message plain = new Message(new HttpHeaders(), json);
        assertThat(nothing.beforeBodyRead(plain, null, LockMarketPayOrderRequestDTO.class, null))
                .isSameAs(plain);
        assertThat(nothing.beforeBodyRead(new Message(signed, json), null, LockMarketPayOrderRequestDTO.class, null))
                .isInstanceOf(BodyBytes.class);
        assertThat(mustSign.beforeBodyRead(
                        new Message(new HttpHeaders(), json), null, LockMarketPayOrderRequestDTO.class, null))
                .isInstanceOf(BodyBytes.class);
        assertThat(bound.beforeBodyRead(
                        new Message(new HttpHeaders(), json), null, RefundMarketPayOrderRequestDTO.class, null))
                .isInstanceOf(BodyBytes.class);

        Message trial = new Message(signed, json);
        assertThat(mustSign.beforeBodyRead(trial, null, GoodsMarketRequestDTO.class, null))
                .as("the trial query is held only by addresses")
                .isSameAs(trial);
        BodyBytes kept =
                (BodyBytes) bound.beforeBodyRead(new Message(signed, json), null, GoodsMarketRequestDTO.class, null);
        assertThat(kept.bytes()).isEqualTo(json);
        assertThat(kept.getHeaders()).isSameAs(signed);
    }

    /** A kept body is held in memory: 64 KiB is kept, a byte more is refused unread. */
    @Test
    void aKeptBodyIsAtMost64KiB() throws Exception {
        PartnerSignatureCheck mustSign = checkOf(Set.of("req:c"), PartnerAddresses.NONE);
        byte[] atLimit = new byte[StrictJsonReader.MAX_BODY_BYTES];

        BodyBytes kept = (BodyBytes) mustSign.beforeBodyRead(
                new Message(new HttpHeaders(), atLimit), null, LockMarketPayOrderRequestDTO.class, null);
        assertThat(kept.bytes()).hasSize(StrictJsonReader.MAX_BODY_BYTES);

        assertThatThrownBy(() -> mustSign.beforeBodyRead(
                        new Message(new HttpHeaders(), new byte[StrictJsonReader.MAX_BODY_BYTES + 1]),
                        null,
                        LockMarketPayOrderRequestDTO.class,
                        null))
                .isInstanceOf(AppException.class)
                .hasMessage("0002 illegal parameter: the body is larger than 64 KiB");
    }

    /** A webhook-id is at most 128 characters: a longer one is refused even under a valid signature. */
    @Test
    void aWebhookIdIsAtMost128Characters() throws Exception {
        Object lock = LockMarketPayOrderRequestDTO.builder()
                .source("req")
                .channel("c")
                .build();

        assertThat(check.check(lock, signedWithId("i".repeat(128)), OUTSIDE)).isSameAs(lock);
        assertThatThrownBy(() -> check.check(lock, signedWithId("i".repeat(129)), OUTSIDE))
                .isInstanceOfSatisfying(
                        SignatureRefusedException.class,
                        e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0207));
    }

    /** Through Spring's hook the client is the request's remote address; outside a request there is none. */
    @Test
    void theClientIsTheRemoteAddressOfTheRequestBeingServed() throws Exception {
        Object lock = LockMarketPayOrderRequestDTO.builder()
                .source("bound")
                .channel("c")
                .build();
        MockHttpServletRequest inside = new MockHttpServletRequest();
        inside.setRemoteAddr(INSIDE);
        MockHttpServletRequest outside = new MockHttpServletRequest();
        outside.setRemoteAddr(OUTSIDE);
        try {
            RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(inside));
            assertThat(check.afterBodyRead(lock, unsigned(), null, lock.getClass(), null))
                    .isSameAs(lock);

            RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(outside));
            assertThatThrownBy(() -> check.afterBodyRead(lock, unsigned(), null, lock.getClass(), null))
                    .isInstanceOf(SignatureRefusedException.class);
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
        assertThatThrownBy(() -> check.afterBodyRead(lock, unsigned(), null, lock.getClass(), null))
                .isInstanceOf(SignatureRefusedException.class);
    }

    @Test
    void aSignatureMayBeRequiredWhenSomePairMustSignOrIsBound() {
        PartnerAddresses bound = PartnerAddresses.parse(Map.of("b", Map.of("c", List.of("10.0.0.0/8"))));
        assertThat(policyOf(Set.of(), PartnerAddresses.NONE).anyRequired()).isFalse();
        assertThat(policyOf(Set.of("req:c"), PartnerAddresses.NONE).anyRequired())
                .isTrue();
        assertThat(policyOf(Set.of(), bound).anyRequired()).isTrue();
        assertThat(policyOf(Set.of("req:c"), bound).anyRequired()).isTrue();
    }

    private static PartnerSignaturePolicy policyOf(Set<String> required, PartnerAddresses addresses) {
        return new PartnerSignaturePolicy(
                () -> required, (source, channel) -> SECRET, (source, channel, id, window) -> true, addresses);
    }

    private static PartnerSignatureCheck checkOf(Set<String> required, PartnerAddresses addresses) {
        return new PartnerSignatureCheck(policyOf(required, addresses), Clock.systemUTC());
    }

    private HttpInputMessage unsigned() throws java.io.IOException {
        return check.beforeBodyRead(
                new Message(new HttpHeaders(), "{}".getBytes(StandardCharsets.UTF_8)),
                null,
                LockMarketPayOrderRequestDTO.class,
                null);
    }

    private HttpInputMessage signedWithId(String id) throws java.io.IOException {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        long now = Clock.systemUTC().instant().getEpochSecond();
        HttpHeaders headers = new HttpHeaders();
        headers.add("webhook-id", id);
        headers.add("webhook-timestamp", Long.toString(now));
        headers.add("webhook-signature", WebhookSignature.sign(SECRET, id, now, json));
        return check.beforeBodyRead(new Message(headers, json), null, LockMarketPayOrderRequestDTO.class, null);
    }

    private void assertDecision(Object body, String client, Sig sig, boolean accepted) {
        byte[] json = ("{\"source\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = new HttpHeaders();
        if (sig != Sig.NONE) {
            String id = "req_" + UUID.randomUUID();
            long now = Clock.systemUTC().instant().getEpochSecond();
            headers.add("webhook-id", id);
            headers.add("webhook-timestamp", Long.toString(now));
            headers.add(
                    "webhook-signature",
                    WebhookSignature.sign(sig == Sig.VALID ? SECRET : "another_secret", id, now, json));
        }
        String row = body.getClass().getSimpleName() + " " + body + " from " + client + " " + sig;
        try {
            HttpInputMessage raw = check.beforeBodyRead(new Message(headers, json), null, body.getClass(), null);
            if (accepted) {
                assertThat(check.check(body, raw, client)).as(row).isSameAs(body);
            } else {
                assertThatThrownBy(() -> check.check(body, raw, client))
                        .as(row)
                        .isInstanceOfSatisfying(
                                SignatureRefusedException.class,
                                e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0207));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(row, e);
        }
    }

    private record Message(HttpHeaders headers, byte[] body) implements HttpInputMessage {

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }
}
