package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotifyUrlPolicyTest {

    private final NotifyUrlPolicy strict = new NotifyUrlPolicy(false, false, url -> true);
    private final NotifyUrlPolicy local = new NotifyUrlPolicy(true, false, url -> true);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8091/cb",
                "http://localhost/cb",
                "http://[::1]/cb",
                "http://10.0.0.5/cb",
                "http://192.168.1.1/cb",
                "http://172.16.0.1/cb",
                "http://169.254.169.254/latest/meta-data",
                "http://0.0.0.0/cb",
                "http://100.64.0.1/cb",
                "http://[fd00::1]/cb",
                "http://[fe80::1]/cb",
                "ftp://8.8.8.8/cb",
                "file:///etc/passwd",
                "gopher://8.8.8.8/",
                "http://user:pw@8.8.8.8/cb",
                "not a url",
                "",
                "http:///nohost"
            })
    void strictPolicyRefusesNonPublicOrNonHttpTargets(String url) {
        assertThat(strict.refusal(url)).isNotNull();
    }

    @Test
    void publicAddressIsAccepted() {
        assertThat(strict.refusal("https://8.8.8.8/callback")).isNull();
        assertThat(strict.refusal("http://1.1.1.1:8080/a?b=c")).isNull();
    }

    @Test
    void loopbackOnlyWhenAllowedAndPrivateStillRefused() {
        assertThat(local.refusal("http://127.0.0.1:8091/api/v1/test/group_buy_notify"))
                .isNull();
        assertThat(local.refusal("http://10.1.2.3/cb")).isNotNull();
        assertThat(local.refusal("http://169.254.169.254/")).isNotNull();
    }

    @Test
    void overlongUrlIsRefused() {
        assertThat(strict.refusal("https://8.8.8.8/" + "a".repeat(NotifyUrlPolicy.MAX_LENGTH)))
                .contains("longer");
    }

    /**
     * A port no connection can use: java.net.URI takes any digits, so {@code :99999} passed the form check, the lock
     * committed, and every callback to it failed (OkHttp refuses the URL) until the task was FAIL.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:99999/cb", "http://127.0.0.1:0/cb", "https://8.8.8.8:65536/cb"})
    void aPortOutsideOneTo65535IsRefusedByItsForm(String url) {
        assertThat(local.formRefusal(url)).contains("port");
        assertThat(local.refusal(url)).contains("port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:65535/cb", "http://127.0.0.1:1/cb", "http://127.0.0.1/cb"})
    void aPortFromOneTo65535OrNoneIsAForm(String url) {
        assertThat(local.formRefusal(url)).isNull();
    }

    /**
     * The callback client's parser has the last word on the form: a URL it refuses is refused here (the lock answered
     * 0000 for URLs java.net.URI took and OkHttp did not), asked of the trimmed text, after the rules above.
     */
    @Test
    void aUrlTheCallbackClientRefusesIsRefusedByItsForm() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        NotifyUrlPolicy picky = new NotifyUrlPolicy(true, false, url -> {
            asked.add(url);
            return !url.contains("%");
        });

        assertThat(picky.formRefusal(" http://[::1%lo]:8080/cb ")).contains("callback client");
        assertThat(picky.refusal("http://[::1%lo]:8080/cb")).contains("callback client");
        assertThat(picky.formRefusal("http://[::1]:8080/cb")).isNull();
        assertThat(asked).contains("http://[::1%lo]:8080/cb", "http://[::1]:8080/cb");
        assertThat(picky.formRefusal("ftp://8.8.8.8/cb")).contains("http or https");
    }

    /** Each refusal of the form says what is wrong: the text is the E0204's info a partner reads. */
    @Test
    void eachRefusalOfTheFormNamesItsReason() {
        assertThat(strict.formRefusal(null)).contains("required");
        assertThat(strict.formRefusal("   ")).contains("required");
        assertThat(strict.formRefusal("http://mall example/cb")).contains("not a valid URL");
        assertThat(strict.formRefusal("http:///nohost")).contains("name a host");
        assertThat(strict.formRefusal("http://user@8.8.8.8/cb")).contains("no credentials");
    }

    @Test
    void aUrlOfExactlyTheMaximumLengthIsAFormAndOneCharacterMoreIsNot() {
        String prefix = "https://8.8.8.8/";
        String longest = prefix + "a".repeat(NotifyUrlPolicy.MAX_LENGTH - prefix.length());

        assertThat(longest).hasSize(NotifyUrlPolicy.MAX_LENGTH);
        assertThat(strict.formRefusal(longest)).isNull();
        assertThat(strict.formRefusal(longest + "a")).contains("longer");
    }

    /** A host the JDK cannot resolve is refused, never let through: here a zone naming no interface (no DNS asked). */
    @Test
    void aHostThatDoesNotResolveIsRefused() {
        assertThat(local.formRefusal("http://[::1%nosuchzone9]/cb")).isNull();
        assertThat(local.refusal("http://[::1%nosuchzone9]/cb")).isEqualTo("notifyUrl host does not resolve");
    }

    @Test
    void privateNetworksOnlyWhenAllowedAndLoopbackOrLinkLocalStillRefused() {
        NotifyUrlPolicy privateOnly = new NotifyUrlPolicy(false, true, url -> true);

        assertThat(privateOnly.refusal("http://10.1.2.3/cb")).isNull();
        assertThat(privateOnly.refusal("http://[fd00::1]/cb")).isNull();
        assertThat(privateOnly.refusal("http://127.0.0.1/cb")).isNotNull();
        assertThat(privateOnly.refusal("http://169.254.169.254/")).isNotNull();
    }

    /** One address refused among those a host resolves to refuses the URL. */
    @Test
    void everyAddressAHostResolvesToMustBeAllowed() throws Exception {
        InetAddress publicOne = InetAddress.getByName("8.8.8.8");
        InetAddress metadata = InetAddress.getByName("169.254.169.254");

        assertThat(strict.addressRefusal(new InetAddress[] {publicOne})).isNull();
        assertThat(strict.addressRefusal(new InetAddress[] {publicOne, metadata}))
                .isEqualTo("notifyUrl host resolves to a non-public address");
        assertThat(strict.addressRefusal(new InetAddress[] {metadata, publicOne}))
                .isNotNull();
    }

    @Test
    void aFormCheckedIsKept() {
        NotifyUrlPolicy fresh = new NotifyUrlPolicy(false, false, url -> true);
        fresh.formRefusal("https://8.8.8.8/kept");
        fresh.formRefusal("ftp://8.8.8.8/kept");

        assertThat(fresh.keptForms()).isEqualTo(2);
        assertThat(NotifyUrlPolicy.hostOf("https://kept.example/cb")).isEqualTo("kept.example");
        assertThat(NotifyUrlPolicy.keptHosts()).isPositive();
    }
}
