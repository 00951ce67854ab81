package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.FreePorts;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * On Cloud Foundry (which Spring Boot detects by {@code VCAP_APPLICATION} in every app instance) Boot maps a second
 * actuator at {@code /cloudfoundryapplication/**} by itself, with every endpoint exposed to it (env, heapdump,
 * threaddump, loggers with their level changes, mappings, beans...), guarded not by the admin token but by its own
 * interceptor, which checks a caller's bearer token against the cloud controller and UAA named in
 * {@code vcap.application.cf_api}. Nobody here chose it: {@code /actuator} is behind the admin token and its guess
 * limit and answers the envelope. On main, with the platform named ({@code spring.main.cloud-platform=cloud_foundry}
 * stands for the instance's variables), those paths answered {@code {"security_error": ...}} instead of the envelope,
 * and a bearer token anyone made up (an unsigned JWT naming a key id) made the service call the cloud controller on
 * the request thread, with no timeout: a controller that did not answer held the request thread for as long as it
 * did not. Now {@code management.cloudfoundry.enabled=false}: the paths are unknown ones (404 envelope), nothing is
 * called.
 */
@IntegrationTest
@TestPropertySource(properties = {"spring.main.cloud-platform=cloud_foundry", "vcap.application.application_id=app-1"})
class CloudFoundryActuatorIT {

    /** Stands for the cloud controller: accepts connections and never answers. */
    private static final ServerSocket CONTROLLER = silentController();

    private static final List<Socket> ACCEPTED = new ArrayList<>();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void controller(DynamicPropertyRegistry registry) {
        registry.add("vcap.application.cf_api", () -> "http://127.0.0.1:" + CONTROLLER.getLocalPort());
    }

    @AfterAll
    static void closeController() throws IOException {
        CONTROLLER.close();
        synchronized (ACCEPTED) {
            for (Socket socket : ACCEPTED) {
                socket.close();
            }
        }
    }

    @Test
    void theCloudFoundryActuatorPathsAreUnknownOnesAnsweredWithTheEnvelope() throws Exception {
        for (String path : List.of(
                "/cloudfoundryapplication",
                "/cloudfoundryapplication/env",
                "/cloudfoundryapplication/loggers",
                "/cloudfoundryapplication/heapdump")) {
            HttpResponse<String> answer = send(path, null).get();
            assertThat(answer.statusCode()).as(path + " -> " + answer.body()).isEqualTo(404);
            JsonNode body = TestJson.JSON.readTree(answer.body());
            assertThat(TestJson.fields(body)).as(path).containsExactly("code", "info", "data");
        }
    }

    @Test
    void aMadeUpBearerTokenMakesNoCallToTheCloudController() throws Exception {
        String header = base64("{\"alg\":\"RS256\",\"kid\":\"made-up\",\"typ\":\"JWT\"}");
        String claims = base64("{\"exp\":4102444800,\"iss\":\"x\",\"scope\":[\"actuator.read\"]}");
        CompletableFuture<HttpResponse<String>> answer =
                send("/cloudfoundryapplication/env", "bearer " + header + "." + claims + ".c2ln");

        HttpResponse<String> answered;
        try {
            answered = answer.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException held) {
            answered = null;
        }
        boolean called = acceptedWithin(Duration.ofMillis(200));
        assertThat(called)
                .as("the service called the cloud controller for a made-up token; answer: "
                        + (answered == null ? "none within 5 s (request thread held)" : answered.body()))
                .isFalse();
        assertThat(answered).as("no answer within 5 s").isNotNull();
        assertThat(answered.statusCode()).isEqualTo(404);
    }

    private CompletableFuture<HttpResponse<String>> send(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean acceptedWithin(Duration wait) throws IOException {
        CONTROLLER.setSoTimeout((int) wait.toMillis());
        try {
            Socket socket = CONTROLLER.accept();
            synchronized (ACCEPTED) {
                ACCEPTED.add(socket);
            }
            return true;
        } catch (SocketTimeoutException none) {
            return false;
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ServerSocket silentController() {
        try {
            return new ServerSocket(FreePorts.next(), 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
