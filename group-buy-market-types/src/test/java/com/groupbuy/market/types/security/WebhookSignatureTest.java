package com.groupbuy.market.types.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final long NOW = 1_795_352_708L;
    private static final String BODY = "{\"teamId\":\"83532975\"}";

    @Test
    void theDocumentedExampleSignsToItsPublishedValue() {
        String body =
                "{\"teamId\":\"83532975\",\"outTradeNoList\":[\"100000000001\",\"100000000002\",\"100000000003\"]}";
        assertThat(WebhookSignature.sign("demo_secret_change_me", "msg_119c3f2e3f88437cb9fb48a70f60f228", NOW, body))
                .isEqualTo("v1,TGwTtJNzTQkvg5Mw7zRFFggAQobvGblMmgVjfi5sZsQ=");
    }

    @Test
    void aSignatureVerifiesAloneOrAmongOthersWithinTheTolerance() {
        String signature = WebhookSignature.sign("s", "id1", NOW, BODY);

        assertThat(WebhookSignature.verify("s", "id1", Long.toString(NOW), BODY, signature, NOW))
                .isTrue();
        assertThat(WebhookSignature.verify("s", "id1", Long.toString(NOW), BODY, "v1,old " + signature, NOW + 300))
                .isTrue();
        assertThat(WebhookSignature.verify("s", "id1", Long.toString(NOW), BODY, signature, NOW - 300))
                .isTrue();
    }

    @Test
    void anythingChangedOrTooOldFails() {
        String signature = WebhookSignature.sign("s", "id1", NOW, BODY);

        assertThat(WebhookSignature.verify("s", "id1", Long.toString(NOW), BODY, signature, NOW + 301))
                .isFalse();
        assertThat(WebhookSignature.verify("other", "id1", Long.toString(NOW), BODY, signature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify("s", "id2", Long.toString(NOW), BODY, signature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify("s", "id1", Long.toString(NOW), BODY + " ", signature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify("s", "id1", "soon", BODY, signature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify(null, "id1", Long.toString(NOW), BODY, signature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify("s", "id1", Long.toString(NOW), BODY, null, NOW))
                .isFalse();
    }

    @Test
    void aTimestampWhoseDistanceFromNowOverflowsIsTooOld() {
        // NOW - stamp is 2^63, which a long reads as Long.MIN_VALUE, whose Math.abs is negative: "within 5 minutes".
        long stamp = NOW + Long.MIN_VALUE;
        String signature = WebhookSignature.sign("s", "id1", stamp, BODY);

        assertThat(WebhookSignature.verify("s", "id1", Long.toString(stamp), BODY, signature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify("s", "id1", Long.toString(Long.MIN_VALUE), BODY, signature, NOW))
                .isFalse();
    }

    @Test
    void aPartnerWhoseSecretIsSetEmptyVerifiesNothingRatherThanFailing() {
        // gbm.notify.secrets.s.c= (set, but empty): the JDK refuses an empty HMAC key, and the check of that partner's
        // signed trade request threw (500 0001) instead of refusing it (E0207).
        String signature = WebhookSignature.sign("s", "id1", NOW, BODY);

        assertThat(WebhookSignature.verify("", "id1", Long.toString(NOW), BODY, signature, NOW))
                .isFalse();
    }

    @Test
    void aRequestWithoutABodyOrABlankIdVerifiesNothing() {
        String signature = WebhookSignature.sign("s", "id1", NOW, BODY);
        String blankIdSignature = WebhookSignature.sign("s", " ", NOW, BODY);

        assertThat(WebhookSignature.verify("s", "id1", Long.toString(NOW), (String) null, signature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify("s", "id1", Long.toString(NOW), (byte[]) null, signature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify("s", " ", Long.toString(NOW), BODY, blankIdSignature, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify("s", "id1", null, BODY, signature, NOW))
                .isFalse();
    }
}
