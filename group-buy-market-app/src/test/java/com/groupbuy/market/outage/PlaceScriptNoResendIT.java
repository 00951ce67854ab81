package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A place script whose answer does not come within the command timeout (1 s) may still run: Redis had it, and only
 * its answer was late. Sending it again would run it twice (a release giving two places back, a join taking two).
 * Redisson's own retry did exactly that for every EVALSHA; the place scripts now run with one attempt, and only a
 * command that provably was never written is sent again. Redis is kept busy by a 2 s script from a plain socket of
 * the test's own (Redis runs one command at a time), while the service releases one place of a team.
 */
@IntegrationTest
@PrivateRedisServer
class PlaceScriptNoResendIT {

    /** Busy for two seconds, then answers 1. */
    private static final String BUSY = "local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
            + "while true do local n = redis.call('TIME') "
            + "if n[1] * 1000000 + n[2] - s > 2000000 then break end end return 1";

    @Autowired
    PrivateRedis redis;

    @Autowired
    TeamPlaceReservation reservation;

    @Test
    void aReleaseWhoseAnswerIsLateRunsOnceNeverTwice() throws Exception {
        String teamId = "noresend-1";
        // Three places taken (the counter seeded from the database's 3), and the scripts loaded on this Redis.
        assertThat(reservation.reserve(teamId, "o1", 5, 3, Instant.now().plusSeconds(3_600)))
                .isTrue();
        reservation.release("noresend-warm");
        assertThat(reservation.placesOf(teamId)).isEqualTo(4);

        CompletableFuture<String> busy = CompletableFuture.supplyAsync(PlaceScriptNoResendIT.this::runBusyScript);
        awaitBusy();
        try {
            reservation.release(teamId);
        } catch (RuntimeException lateAnswer) {
            System.out.println("release while Redis was busy answered: " + lateAnswer);
        }
        assertThat(busy.get(30, TimeUnit.SECONDS)).isEqualTo(":1");

        assertThat(reservation.placesOf(teamId))
                .as("one release gave back one place, whatever its caller was told")
                .isEqualTo(3);
    }

    private String runBusyScript() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", redis.port()), 1_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(resp("EVAL", BUSY, "0"));
            out.flush();
            return readLine(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until Redis answers a plain PING late (the busy script runs), bounded. */
    private void awaitBusy() throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", redis.port()), 1_000);
                socket.setSoTimeout(200);
                socket.getOutputStream().write(resp("PING"));
                readLine(socket.getInputStream());
            } catch (java.net.SocketTimeoutException busyNow) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("Redis never got busy");
    }

    private static byte[] resp(String... parts) {
        StringBuilder command = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            command.append('$')
                    .append(part.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(part)
                    .append("\r\n");
        }
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            line.append((char) c);
        }
        return line.toString();
    }
}
