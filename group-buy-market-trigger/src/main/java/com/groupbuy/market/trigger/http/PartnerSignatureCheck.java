package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.dto.GoodsMarketRequestDTO;
import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.RefundMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderRequestDTO;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.security.WebhookSignature;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import lombok.extern.slf4j.Slf4j;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Authenticates trade requests (lock, settlement, refund) by the partner's signature: headers {@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature} over the raw body, with the secret of the body's source +
 * channel (the one we sign its callbacks with). Malls written for the original platform send no signature, so it
 * is required only for the {@code source:channel} pairs listed (or {@code *}); a signature that is sent is always
 * checked.
 *
 * <p>It runs after the strict JSON read and on the object that read produced, never on a second parse of the
 * body: a field of the wrong type has already been refused ({@code 0002}), and the source and channel that decide
 * whether a signature is needed are, checked by the same {@link RequestCheck}, the very values the use case acts
 * on. The signature covers the body's bytes as received (which the reader decodes in the charset the request names),
 * never a re-decoding of them in which different bytes read as the same text. A valid signature's {@code webhook-id} is remembered for the whole window its timestamp is accepted in, so a
 * captured request cannot be sent again (E0210). Refused → HTTP 401, before the controller runs.
 *
 * <p>A pair bound to addresses ({@code gbm.trade.partner-addresses}, {@link PartnerAddresses}) is how a mall that
 * cannot sign is authenticated: its unsigned request from a client address ({@code getRemoteAddr()}, which Spring
 * Boot's forwarded-header handling sets behind a trusted proxy) outside them is refused exactly as an unsigned request
 * of a pair that must sign; a valid signature is accepted from anywhere. The trial query ({@code
 * query_group_buy_market_config}, which shows a user's open team and order) is held to the addresses too, but needs no
 * signature of a pair that must sign trade requests (malls never signed it): its headers are checked only when its
 * address alone would refuse it.
 */
@Slf4j
@ControllerAdvice(assignableTypes = {MarketTradeController.class, MarketIndexController.class})
public class PartnerSignatureCheck extends RequestBodyAdviceAdapter {

    private static final Set<Class<?>> SIGNED_BODIES = Set.of(
            LockMarketPayOrderRequestDTO.class,
            SettlementMarketPayOrderRequestDTO.class,
            RefundMarketPayOrderRequestDTO.class,
            GoodsMarketRequestDTO.class);
    /** A timestamp is accepted from TOLERANCE before to TOLERANCE after it, so its id must be kept that long. */
    static final Duration REPLAY_WINDOW = WebhookSignature.TOLERANCE.multipliedBy(2);

    private static final int MAX_WEBHOOK_ID_LENGTH = 128;

    private final PartnerSignaturePolicy policy;
    private final Clock clock;

    public PartnerSignatureCheck(PartnerSignaturePolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType instanceof Class<?> type && SIGNED_BODIES.contains(type);
    }

    /** Keeps the raw bytes the signature covers, when a signature may have to be checked. */
    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage message,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        boolean trial = targetType == GoodsMarketRequestDTO.class;
        if (trial
                ? !policy.addresses().any()
                : !policy.anyRequired() && message.getHeaders().getFirst("webhook-signature") == null) {
            // Nothing can require a check: spare the lock/settle hot path a copy of the body. Only a hint: check
            // reads the switch again once the body is in, and refuses an unsigned request its pair must sign by then.
            return message;
        }
        byte[] body = message.getBody().readNBytes(StrictJsonReader.MAX_BODY_BYTES + 1);
        if (body.length > StrictJsonReader.MAX_BODY_BYTES) {
            // Held in memory to be hashed: a trade request is a few hundred bytes, so a huge one is refused unread.
            throw StrictJsonReader.tooLarge();
        }
        return new BodyBytes(message.getHeaders(), body);
    }

    @Override
    public Object afterBodyRead(
            Object body,
            HttpInputMessage message,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return check(body, message, clientAddress());
    }

    /**
     * {@link #afterBodyRead} with the client address given: the lean trade edge ({@link TradeEdgeFilter}) runs before
     * Spring's request context is set and passes its request's {@code getRemoteAddr()}.
     */
    public Object check(Object body, HttpInputMessage message, String clientAddress) {
        if (body == null) {
            // No body object: Spring refuses the request as missing its body before the controller runs.
            return body;
        }
        if (!(message instanceof BodyBytes) && (body instanceof GoodsMarketRequestDTO || !policy.anyRequired())) {
            // Not kept, and still nothing that could require a signature (no pair bound, none must sign).
            return body;
        }
        String[] sourceChannel = sourceChannel(body);
        String source = RequestCheck.text("source", sourceChannel[0], 16);
        String channel = RequestCheck.text("channel", sourceChannel[1], 16);
        HttpHeaders headers = message.getHeaders();
        String signature = headers.getFirst("webhook-signature");
        boolean outside =
                policy.addresses().bound(source, channel) && !policy.addresses().admits(source, channel, clientAddress);
        boolean trial = body instanceof GoodsMarketRequestDTO;
        switch (decide(trial, outside, !trial && policy.required(source, channel), signature != null)) {
            case ACCEPT -> {
                return body;
            }
            case REFUSE_OUTSIDE -> {
                log.warn(
                        "trade request refused: unsigned from outside the pair's addresses client={} type={} source={} "
                                + "channel={}",
                        clientAddress,
                        body.getClass().getSimpleName(),
                        source,
                        channel);
                throw refused();
            }
            case VERIFY -> {
                // Below: a valid signature, then a webhook-id not seen before.
            }
        }
        if (!(message instanceof BodyBytes raw)) {
            // Not kept: when its body began to arrive it carried no signature and no pair had to sign. The decision
            // above is on the switch as read now, after the body (which may take up to gbm.http.body-read-timeout):
            // a pair required to sign meanwhile is held to it, as every later request is. Before, the reading taken
            // before the body let such an unsigned lock, payment or refund through
            // (PartnerSignatureCheckTest#aPairRequiredToSignWhileTheBodyArrives, TradeEdgeFilterIT on both paths).
            log.warn(
                    "trade request refused: unsigned, its pair required to sign while its body was read type={} "
                            + "source={} channel={}",
                    body.getClass().getSimpleName(),
                    source,
                    channel);
            throw refused();
        }
        String id = headers.getFirst("webhook-id");
        boolean valid = id != null
                && id.length() <= MAX_WEBHOOK_ID_LENGTH
                && WebhookSignature.verify(
                        policy.secretOf().apply(source, channel),
                        id,
                        headers.getFirst("webhook-timestamp"),
                        raw.bytes(),
                        signature,
                        clock.instant().getEpochSecond());
        if (!valid) {
            log.warn(
                    "trade request refused: signature missing or wrong type={} source={} channel={}",
                    body.getClass().getSimpleName(),
                    source,
                    channel);
            throw refused();
        }
        if (!policy.seen().firstUse(source, channel, id, REPLAY_WINDOW)) {
            log.warn("trade request refused: replay of webhook-id={} source={} channel={}", id, source, channel);
            throw new SignatureRefusedException(
                    ResponseCode.E0210,
                    ResponseCode.E0210.getInfo()
                            + ": every request needs a new webhook-id; a retry is signed again with a fresh one");
        }
        return body;
    }

    /** What a request must show before it is let through. */
    enum Decision {
        /** Nothing: let through as it is. */
        ACCEPT,
        /** Unsigned from outside its pair's addresses: refused. */
        REFUSE_OUTSIDE,
        /** A valid, fresh signature (missing: refused). */
        VERIFY
    }

    /**
     * The whole rule, on four facts: whether the request is the trial query, whether it comes from outside its pair's
     * addresses (bound and not admitted), whether its pair must sign trade requests, whether it carries a signature. From
     * outside a bound pair's addresses only a valid signature lets anything through. Otherwise the trial query needs
     * nothing (malls never signed it; its headers are not even read), and a trade request needs a valid signature when
     * its pair must sign or when it carries one (a signature sent is always checked).
     */
    static Decision decide(boolean trial, boolean outside, boolean required, boolean signed) {
        if (outside) {
            return signed ? Decision.VERIFY : Decision.REFUSE_OUTSIDE;
        }
        if (trial) {
            return Decision.ACCEPT;
        }
        return required || signed ? Decision.VERIFY : Decision.ACCEPT;
    }

    private static SignatureRefusedException refused() {
        return new SignatureRefusedException(
                ResponseCode.E0207,
                ResponseCode.E0207.getInfo()
                        + ": sign the raw body with your source/channel secret (headers webhook-id, webhook-timestamp, "
                        + "webhook-signature)");
    }

    /** The client address of the request Spring is serving; null outside a request (refused by a bound pair). */
    private static String clientAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr()
                : null;
    }

    private static String[] sourceChannel(Object body) {
        if (body instanceof LockMarketPayOrderRequestDTO lock) {
            return new String[] {lock.getSource(), lock.getChannel()};
        }
        if (body instanceof SettlementMarketPayOrderRequestDTO settlement) {
            return new String[] {settlement.getSource(), settlement.getChannel()};
        }
        if (body instanceof GoodsMarketRequestDTO trial) {
            return new String[] {trial.getSource(), trial.getChannel()};
        }
        RefundMarketPayOrderRequestDTO refund = (RefundMarketPayOrderRequestDTO) body;
        return new String[] {refund.getSource(), refund.getChannel()};
    }
}
