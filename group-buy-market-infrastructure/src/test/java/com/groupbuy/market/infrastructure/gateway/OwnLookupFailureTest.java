package com.groupbuy.market.infrastructure.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A callback host's lookup that failed on our side uses no partner's try; the partner's own failed lookups still do.
 * The JDK words a lookup that could open neither /etc/hosts nor a socket to the name server (our descriptors out) as
 * "Name or service not known", exactly as a name that does not exist: told apart by our descriptor count at that
 * moment (here a stand-in for it; OwnSocketFaultIT exhausts a real process's descriptors). On main every one of these
 * was the partner's failed attempt.
 */
class OwnLookupFailureTest {

    private static final NotifyUrlPolicy ANY = new NotifyUrlPolicy(true, false, url -> true);

    /** What the descriptor count says now: why the limit is reached, or null. */
    private final AtomicReference<String> limit = new AtomicReference<>();

    private final CountDownLatch nameServerAnswers = new CountDownLatch(1);

    @AfterEach
    void release() {
        nameServerAnswers.countDown();
    }

    /** The system resolver's answer when it could not run, or when the name does not exist: the same words. */
    private static final Dns NOT_KNOWN = hostname -> {
        throw new UnknownHostException(hostname + ": Name or service not known");
    };

    @Test
    void aLookupThatFailsAtOurDescriptorLimitIsNotSentNoTryUsed() {
        limit.set("4096 of 4096 descriptors open");
        DeliveryResult result = send(dns(NOT_KNOWN, Duration.ofSeconds(10)), "partner.example");

        assertThat(result.notSentReason()).isEqualTo(NotSentReason.LOCAL_RESOURCES);
        assertThat(result.error())
                .startsWith("not sent: our process is out of file descriptors")
                .contains("4096 of 4096 descriptors open")
                .doesNotContain("partner.example");
        assertThat(result.endpointWell()).isFalse();
    }

    @Test
    void aNameThatDoesNotResolveWhileOurDescriptorsAreFreeIsThePartnersAttempt() {
        DeliveryResult result = send(dns(NOT_KNOWN, Duration.ofSeconds(10)), "partner.example");

        assertThat(result.notAttempted()).isFalse();
        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).isEqualTo("UnknownHostException: partner.example: Name or service not known");
    }

    /**
     * The JDK keeps a failed lookup (10 s by default) and answers it again without asking: once our descriptors are
     * back, the failure it replays is still the one at our limit. Only for that name, and only for that long.
     */
    @Test
    void theFailureTheJdkReplaysAfterOurLimitIsOursOnlyForItsTimeAndName() throws Exception {
        PublicOnlyDns dns = dns(NOT_KNOWN, Duration.ofMillis(300));
        limit.set("4096 of 4096 descriptors open");
        assertThatThrownBy(() -> dns.lookup("partner.example")).isInstanceOf(OwnLookupFailure.class);
        limit.set(null);

        assertThatThrownBy(() -> dns.lookup("partner.example"))
                .isInstanceOf(OwnLookupFailure.class)
                .hasMessageContaining("replays");
        assertThatThrownBy(() -> dns.lookup("other.example"))
                .isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(OwnLookupFailure.class);
        Thread.sleep(400);
        assertThatThrownBy(() -> dns.lookup("partner.example"))
                .as("past the JDK's negative cache the name is asked again: its failure is the partner's")
                .isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(OwnLookupFailure.class);
    }

    /**
     * Our resolver threads all held by other names' lookups (other partners' silent name servers) is our capacity:
     * on main the refusal ("host lookups are busy") was this partner's failed attempt and counted on its breaker.
     */
    @Test
    void aLookupRefusedBecauseOtherNamesHoldOurResolverThreadsIsNotSent() {
        PublicOnlyDns dns = new PublicOnlyDns(ANY, silentFor("silent.example"), Duration.ofSeconds(30), 1);
        Thread holder = new Thread(() -> {
            try {
                dns.lookup("silent.example");
            } catch (UnknownHostException e) {
                // released at the end of the test
            }
        });
        holder.setDaemon(true);
        holder.start();
        awaitRunning(dns);

        DeliveryResult result = send(dns, "partner.example");

        assertThat(result.notSentReason()).isEqualTo(NotSentReason.LOCAL_RESOURCES);
        assertThat(result.error()).startsWith("not sent: our host lookups are busy: all 1 resolver threads of ours");
        assertThat(dns.pool().refusedBusy()).isEqualTo(1);
    }

    /** The name whose own lookup holds the thread is joined, not refused: its name server's silence is its own. */
    @Test
    void aNameWhoseOwnLookupHoldsTheThreadWaitsAndFailsAsThePartners() {
        PublicOnlyDns dns = new PublicOnlyDns(ANY, silentFor("partner.example"), Duration.ofMillis(300), 1);

        DeliveryResult first = send(dns, "partner.example");
        DeliveryResult second = send(dns, "partner.example");

        for (DeliveryResult result : List.of(first, second)) {
            assertThat(result.notAttempted()).isFalse();
            assertThat(result.error()).contains("partner.example did not resolve within 300 ms");
        }
        assertThat(dns.pool().refusedBusy()).isZero();
    }

    @Test
    void atTheLimitMeansWithinAFewDescriptorsOfIt() {
        assertThat(OwnDescriptorLimit.reached(4096, 4096)).isEqualTo("4096 of 4096 descriptors open");
        assertThat(OwnDescriptorLimit.reached(4096 - OwnDescriptorLimit.SLACK, 4096))
                .isNotNull();
        assertThat(OwnDescriptorLimit.reached(4096 - OwnDescriptorLimit.SLACK - 1, 4096))
                .isNull();
        assertThat(OwnDescriptorLimit.reached(-1, 4096)).isNull();
        // This test's own process is far from its limit.
        assertThat(new OwnDescriptorLimit().get()).isNull();
    }

    @Test
    void theJdksNegativeCacheTimeAsItReadsIt() {
        assertThat(JdkNegativeCache.parse(null)).isEqualTo(JdkNegativeCache.DEFAULT);
        assertThat(JdkNegativeCache.parse(" 5 ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(JdkNegativeCache.parse("0")).isZero();
        assertThat(JdkNegativeCache.parse("-1")).isEqualTo(JdkNegativeCache.LONGEST);
        assertThat(JdkNegativeCache.parse("9999")).isEqualTo(JdkNegativeCache.LONGEST);
        assertThat(JdkNegativeCache.parse("soon")).isEqualTo(JdkNegativeCache.DEFAULT);
    }

    private PublicOnlyDns dns(Dns resolver, Duration replay) {
        return new PublicOnlyDns(ANY, resolver, Duration.ofSeconds(5), 4, limit::get, replay);
    }

    /** A name server silent for {@code name} until the test ends; loopback for any other name. */
    private Dns silentFor(String name) {
        return hostname -> {
            if (hostname.equals(name)) {
                try {
                    nameServerAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of(InetAddress.getLoopbackAddress());
        };
    }

    private static void awaitRunning(PublicOnlyDns dns) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (dns.pool().running() < 1) {
            assertThat(System.nanoTime()).as("the silent lookup started").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static DeliveryResult send(PublicOnlyDns dns, String host) {
        OkHttpClient client = new OkHttpClient.Builder()
                .dns(dns)
                .callTimeout(Duration.ofSeconds(30))
                .build();
        return new GroupBuyNotifyService(client, (source, channel) -> null, Clock.systemUTC())
                // Port 9 (discard): nothing is sent in these tests; each ends at the lookup.
                .groupBuyNotify(CallbackTasks.to("http://" + host + ":9/callback"));
    }
}
