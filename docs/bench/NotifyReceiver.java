import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The partner mall of the HTTP benchmarks, in a process of its own (#19, branch settlepath): it receives our
 * callbacks and answers the plain text {@code success} (HTTP 200), as a partner's receiver does. Before, the benchmarks
 * sent the callbacks to the app's own test receiver, so the app's CPU per settlement (and per drained callback) held
 * the partner's work too: receiving each callback through the whole Spring MVC stack. A partner's receiver is not our
 * service, so it runs here: the plain JDK HTTP server, no framework, the body read and dropped.
 * <p>
 * Every half second it writes how many callbacks arrived to the file named by its second argument (atomically), so a
 * script can count them. It prints {@code ready <port>} once it listens.
 * <p>
 * Run: {@code java -Xmx64m docs/bench/NotifyReceiver.java <port> <count file> [threads]}
 */
public class NotifyReceiver {

    private static final byte[] SUCCESS = "success".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        // The JDK server leaves Nagle's algorithm on for accepted sockets unless told otherwise; with keep-alive every
        // answer then waits for the client's delayed ACK (~40 ms): 85 callbacks/s at 4 in flight instead of ~4,500
        // (wrk, 2026-12-01). Read when the server classes load, so set before the first HttpServer call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        Path countFile = Path.of(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        AtomicLong received = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, received);
            }
        });
        server.start();
        System.out.println("ready " + port);
        System.out.flush();
        Path next = Path.of(countFile + ".next");
        while (true) {
            Files.writeString(next, received.get() + "\n");
            Files.move(next, countFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(500);
        }
    }

    private static void answer(HttpExchange exchange, AtomicLong received) throws java.io.IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        received.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, SUCCESS.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(SUCCESS);
        }
    }
}
