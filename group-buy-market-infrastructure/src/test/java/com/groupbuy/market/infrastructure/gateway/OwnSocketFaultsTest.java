package com.groupbuy.market.infrastructure.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Which socket failures are our own process's (no try used, no failure of the partner's endpoint) and which the
 * partner's. The kernel's texts as the JDK words them on Linux: EMFILE and ENOBUFS as seen from a socket's creation
 * (OwnSocketFaultIT produces a real EMFILE in a process of its own), EADDRNOTAVAIL and ECONNREFUSED produced here.
 */
class OwnSocketFaultsTest {

    @Test
    void outOfDescriptorsPortsOrBuffersIsOurs() {
        assertThat(OwnSocketFaults.of(new SocketException("Too many open files")))
                .startsWith("our process is out of file descriptors")
                .contains("RLIMIT_NOFILE")
                .endsWith("(SocketException: Too many open files)");
        assertThat(OwnSocketFaults.of(new SocketException("Too many open files in system")))
                .contains("fs.file-max");
        assertThat(OwnSocketFaults.of(new SocketException("No buffer space available")))
                .contains("no buffer space");
        assertThat(OwnSocketFaults.of(new BindException("Cannot assign requested address (Address not available)")))
                .as("an older JDK's wording, a detail after the kernel's words")
                .contains("net.ipv4.ip_local_port_range");
    }

    @Test
    void aLocalAddressWeDoNotHaveIsOurs() throws IOException {
        Throwable failure;
        try (Socket socket = new Socket()) {
            failure = catchThrowable(() -> socket.bind(FromAnAddressNotOurs.NOT_OURS));
        }

        assertThat(failure).isInstanceOf(BindException.class).hasMessage("Cannot assign requested address");
        assertThat(OwnSocketFaults.of(failure)).contains("no local port or address to connect from");
    }

    @Test
    void foundAnywhereAlongTheCauseChain() {
        ConnectException wrapped = new ConnectException("Failed to connect to /127.0.0.1:8080");
        wrapped.initCause(new SocketException("Too many open files"));
        IOException outer = new IOException("call failed", wrapped);

        assertThat(OwnSocketFaults.of(outer)).startsWith("our process is out of file descriptors");
    }

    @Test
    void thePartnersSideIsNotOurs() throws IOException {
        int closed;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = server.getLocalPort();
        }
        Throwable refused;
        try (Socket socket = new Socket()) {
            refused = catchThrowable(() -> socket.connect(new InetSocketAddress("127.0.0.1", closed), 1000));
        }

        assertThat(refused).isInstanceOf(ConnectException.class);
        assertThat(OwnSocketFaults.of(refused)).isNull();
        assertThat(OwnSocketFaults.of(new NoRouteToHostException("No route to host")))
                .isNull();
        assertThat(OwnSocketFaults.of(new SocketException("Connection reset"))).isNull();
        assertThat(OwnSocketFaults.of(new java.net.SocketTimeoutException("connect timed out")))
                .isNull();
    }

    /** OkHttp quotes a partner's status line in its exception: a partner cannot word its failure as ours. */
    @Test
    void aPartnersTextIsNeverOurs() {
        assertThat(OwnSocketFaults.of(
                        new ProtocolException("Unexpected status line: HTTP/1.1 200 Too many open files")))
                .isNull();
        assertThat(OwnSocketFaults.of(new IOException("Too many open files"))).isNull();
        assertThat(OwnSocketFaults.of(new ConnectException(
                        "callback target Too many open files/10.0.0.1:80 is refused by the notify URL policy")))
                .isNull();
    }

    @Test
    void aCauseChainThatLoopsBackEnds() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);

        assertThat(OwnSocketFaults.of(a)).isNull();
    }

    /**
     * Through the real client: a callback whose socket cannot take a local address (the kernel's EADDRNOTAVAIL) is not
     * sent, no try used, due again shortly; the partner, well, never saw it. On main it was a failed attempt.
     */
    @Test
    void aCallbackWhoseSocketWeCannotOpenIsNotSent() throws IOException {
        AtomicInteger received = new AtomicInteger();
        HttpServer partner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        partner.createContext("/", exchange -> {
            received.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 7);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("success".getBytes());
            }
        });
        partner.start();
        try {
            OkHttpClient client = new OkHttpClient.Builder()
                    .socketFactory(new FromAnAddressNotOurs(() -> true))
                    .build();
            GroupBuyNotifyService service =
                    new GroupBuyNotifyService(client, (source, channel) -> null, Clock.systemUTC());
            Instant before = Instant.now();

            DeliveryResult result =
                    service.groupBuyNotify(task(partner.getAddress().getPort()));

            assertThat(result.notSentReason()).isEqualTo(NotSentReason.LOCAL_RESOURCES);
            assertThat(result.error())
                    .startsWith("not sent: our host has no local port or address to connect from")
                    .endsWith("(BindException: Cannot assign requested address)");
            assertThat(result.notSentUntil())
                    .isAfterOrEqualTo(before.plus(OwnSocketFaults.RETRY_IN))
                    .isBefore(before.plus(OwnSocketFaults.RETRY_IN).plusSeconds(5));
            assertThat(result.endpointWell()).isFalse();
            assertThat(received).hasValue(0);
        } finally {
            partner.stop(0);
        }
    }

    private static NotifyTaskVO task(int port) {
        return CallbackTasks.to("http://127.0.0.1:" + port + "/callback");
    }
}
