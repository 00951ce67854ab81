package com.groupbuy.market.infrastructure.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import com.groupbuy.market.types.net.WaitProbe;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partner names the callback host, so it runs the name server answering for it. A name server that never answers
 * must not hold a delivery thread: on main the lookup ran on the sender's thread, which OkHttp's call timeout cannot
 * interrupt, so the send waited as long as the name server did. Real HTTP server on loopback; the hostile name server
 * is OkHttp's Dns hook, answering (loopback) only when the test lets it.
 */
class PublicOnlyDnsTest {

    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch nameServerAnswers = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = "success".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        nameServerAnswers.countDown();
        server.stop(0);
    }

    @Test
    void aNameServerThatNeverAnswersEndsTheSendAtTheConnectTimeoutNotWhenItAnswers() throws Exception {
        Dns hostile = hostname -> {
            try {
                nameServerAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(InetAddress.getLoopbackAddress());
        };
        OkHttpClient client = new OkHttpClient.Builder()
                .dns(new PublicOnlyDns(new NotifyUrlPolicy(true, false, url -> true), hostile, Duration.ofMillis(200)))
                // Neither the call timeout (which on main did not end the lookup either) nor the wait below races
                // the 200 ms bound on a busy machine: a 500 ms call timeout ended a send that 200 ms did not, under
                // load, with OkHttp's message instead of the name's.
                .callTimeout(Duration.ofSeconds(30))
                .build();
        GroupBuyNotifyService service = new GroupBuyNotifyService(client, (s, c) -> null, Clock.systemUTC());
        NotifyTaskVO task = taskToPartnerExample();

        CompletableFuture<DeliveryResult> send = CompletableFuture.supplyAsync(() -> service.groupBuyNotify(task));
        // Far beyond the 200 ms bound and the call timeout; on main the send is still waiting for the name server here.
        DeliveryResult result =
                send.completeOnTimeout(null, 60, TimeUnit.SECONDS).get();

        assertThat(result)
                .as("the send ended while the name server was still silent")
                .isNotNull();
        assertThat(nameServerAnswers.getCount()).isEqualTo(1);
        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).contains("partner.example did not resolve within 200 ms");
        assertThat(requests).hasValue(0);
    }

    /**
     * Design §7 (callbacks to any URL a caller gives): the lock checked the partner's host when it resolved to a public
     * address, but the partner runs its name server and may answer loopback at send time (DNS rebinding). The lookup
     * the callback connects by refuses it, so nothing reaches the address behind the name: with the policy check in
     * {@link PublicOnlyDns#lookup} skipped, this request reached the loopback server. (The socket factory checks the
     * address again; ConnectTimePolicyTest pins that layer.)
     */
    @Test
    void aNameThatAnswersARefusedAddressAtSendTimeIsNeverConnectedTo() throws Exception {
        Dns rebinding = hostname -> List.of(InetAddress.getLoopbackAddress());
        OkHttpClient client = new OkHttpClient.Builder()
                .dns(new PublicOnlyDns(
                        new NotifyUrlPolicy(false, false, url -> true), rebinding, Duration.ofSeconds(2)))
                .callTimeout(Duration.ofSeconds(5))
                .build();
        GroupBuyNotifyService service = new GroupBuyNotifyService(client, (s, c) -> null, Clock.systemUTC());
        NotifyTaskVO task = taskToPartnerExample();

        DeliveryResult result = service.groupBuyNotify(task);

        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).contains("partner.example resolves to a refused address 127.0.0.1");
        assertThat(requests).hasValue(0);
    }

    @Test
    void aSilentNameCostsOneLookupAndAFullPoolRefusesAtOnce() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        Dns hostile = hostname -> {
            lookups.incrementAndGet();
            if (hostname.startsWith("silent")) {
                try {
                    nameServerAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of(InetAddress.getLoopbackAddress());
        };
        PublicOnlyDns dns =
                new PublicOnlyDns(new NotifyUrlPolicy(true, false, url -> true), hostile, Duration.ofMillis(200), 2);

        assertThatThrownBy(() -> dns.lookup("silent-1.example"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("did not resolve within 200 ms");
        // The first wait ended at the lookup's deadline: the name is past it. Whether the second lookup waits, not
        // how long it takes, decides: should it wait, the name server answers (loopback, allowed here).
        assertThatThrownBy(() -> WaitProbe.answerIfItWaits(nameServerAnswers, () -> dns.lookup("silent-1.example")))
                .as("a lookup past its deadline is not waited for again")
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("did not resolve within 200 ms");
        assertThat(lookups).hasValue(1);

        assertThatThrownBy(() -> dns.lookup("silent-2.example")).hasMessageContaining("did not resolve");
        assertThatThrownBy(() -> dns.lookup("partner.example"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("lookups are busy");
        assertThat(dns.pool().refusedBusy()).isEqualTo(1);
        assertThat(dns.pool().timedOut()).isEqualTo(3);
    }

    /** A callback to partner.example, at the loopback server's port. */
    private NotifyTaskVO taskToPartnerExample() {
        return CallbackTasks.to("http://partner.example:" + server.getAddress().getPort() + "/cb");
    }
}
