package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * #19: a lock's notifyUrl form is checked once per distinct text, not parsed twice on every lock; the answers kept are
 * keyed by the exact text (case and spaces count) and bounded, and the dotted-quad test that replaced a regex agrees
 * with it.
 */
class NotifyUrlCheckMemoTest {

    private final List<String> asked = new ArrayList<>();
    private final NotifyUrlPolicy policy = new NotifyUrlPolicy(true, false, url -> {
        asked.add(url);
        return !url.contains("%");
    });

    @Test
    void aUrlSeenBeforeIsNotParsedAgainAndOnlyItsExactTextCounts() {
        for (int i = 0; i < 3; i++) {
            assertThat(policy.formRefusal("http://8.8.8.8/cb")).isNull();
            assertThat(policy.formRefusal("http://[::1%lo]/cb")).contains("callback client");
        }
        assertThat(asked).containsExactly("http://8.8.8.8/cb", "http://[::1%lo]/cb");

        // Other texts are other keys, each checked on its own: a case, a space, a character.
        assertThat(policy.formRefusal("HTTP://8.8.8.8/cb")).isNull();
        assertThat(policy.formRefusal(" http://8.8.8.8/cb ")).isNull();
        assertThat(policy.formRefusal("http://8.8.8.8/cb%25")).contains("callback client");
        assertThat(policy.formRefusal("ftp://8.8.8.8/cb")).contains("http or https");
        assertThat(policy.formRefusal("http://8.8.8.8:0/cb")).contains("port");
        assertThat(asked).hasSize(5);

        assertThat(NotifyUrlPolicy.hostOf("http://Mall.Example/cb")).isEqualTo("Mall.Example");
        assertThat(NotifyUrlPolicy.hostOf("http://mall.example/cb")).isEqualTo("mall.example");
        assertThat(NotifyUrlPolicy.hostOf(" http://[::1]:80/cb")).isEqualTo("[::1]");
    }

    @Test
    void aFloodOfDistinctUrlsKeepsAtMostTheBoundAndTheAnswersStayRight() {
        for (int i = 0; i < 5 * NotifyUrlPolicy.KEPT; i++) {
            assertThat(policy.formRefusal("http://8.8.8.8/cb" + i)).isNull();
            assertThat(policy.formRefusal("http://8.8.8.8:" + (70_000 + i) + "/cb"))
                    .contains("port");
            assertThat(NotifyUrlPolicy.hostOf("http://h" + i + ".example/cb")).isEqualTo("h" + i + ".example");
            assertThat(policy.keptForms()).isLessThanOrEqualTo(NotifyUrlPolicy.KEPT);
            assertThat(NotifyUrlPolicy.keptHosts()).isLessThanOrEqualTo(NotifyUrlPolicy.KEPT);
        }
        String tooLong = "http://8.8.8.8/" + "a".repeat(NotifyUrlPolicy.MAX_LENGTH);
        assertThat(policy.formRefusal(tooLong)).contains("longer");
        assertThat(policy.formRefusal(tooLong)).contains("longer");
    }

    @Test
    void theDottedQuadTestAgreesWithTheRegexItReplaced() {
        Pattern ipv4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
        List<String> hosts = new ArrayList<>(List.of(
                "127.0.0.1",
                "8.8.8.8",
                "255.255.255.255",
                "256.1.1.1",
                "1.256.1.1",
                "1.1.1.256",
                "1.2.3",
                "1.2.3.",
                "1.2.3.4.",
                ".1.2.3.4",
                "1..2.3",
                "1.2.3.4.5",
                "0001.2.3.4",
                "001.002.003.004",
                "999.1.1.1",
                "1.2.3.a",
                "a.b.c.d",
                "",
                ".",
                "...",
                "1.2.3.-4",
                "+1.2.3.4",
                "1.2.3.4 ",
                " 1.2.3.4",
                "\u0661.\u0662.\u0663.\u0664",
                "\uff11.2.3.4",
                "mall.example",
                "[::1]",
                "1.2.3.04",
                "300.300.300.300"));
        for (int a = 0; a < 300; a += 37) {
            hosts.add(a + "." + (a * 7 % 300) + ".0." + (299 - a));
        }
        for (String host : hosts) {
            var quad = ipv4.matcher(host);
            boolean expected = quad.matches();
            for (int i = 1; expected && i <= 4; i++) {
                expected = Integer.parseInt(quad.group(i)) <= 255;
            }
            assertThat(NotifyHostLookup.isQuad(host)).as(host).isEqualTo(expected);
            assertThat(NotifyHostLookup.isAddress(host))
                    .as(host)
                    .isEqualTo(expected || host.startsWith("[") && host.endsWith("]"));
        }
    }
}
