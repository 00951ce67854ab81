package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The admin API and the console's session as the admin tests call them, over plain HTTP: the console's sign-in (the
 * token posted as JSON, answered with the {@code GBM_CONSOLE} cookie) and requests that carry the admin token ({@code
 * X-Admin-Token}), the session cookie and the console header ({@code X-Gbm-Console: 1}, which a change made with the
 * cookie needs) as each test chooses. A {@code null} token, cookie or body is left out of the request, so a test may
 * send none.
 */
public final class AdminClient {

    /** The console's session: POST signs in, GET reads it, DELETE signs out. */
    public static final String SESSION = "/api/v1/gbm/admin/console/session";

    private final HttpClient http = HttpClient.newHttpClient();
    private final IntSupplier port;

    /**
     * {@code port}: the service's port, read at each request (so a test may build its client before Spring injects
     * its {@code @LocalServerPort}).
     */
    public AdminClient(IntSupplier port) {
        this.port = port;
    }

    /** A request to {@code path} (with its query) of the service. */
    public Call call(String method, String path) {
        return new Call(method, path);
    }

    public Call get(String path) {
        return call("GET", path);
    }

    /** The console's sign-in with {@code token}, not yet sent (a test may add to it). */
    public Call signInRequest(String token) {
        return call("POST", SESSION).json("{\"token\":\"" + token + "\"}");
    }

    /** Signs in with {@code token}, which must be answered 200; returns the session cookie to send back. */
    public String signIn(String token) throws IOException, InterruptedException {
        HttpResponse<String> login = signInRequest(token).send();
        assertThat(login.statusCode()).as("sign-in " + login.body()).isEqualTo(200);
        return cookie(login);
    }

    /** The cookie a sign-in's answer sets ({@code GBM_CONSOLE=…}, its attributes left off), as a browser sends it. */
    public static String cookie(HttpResponse<String> login) {
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** One request: what it carries, then {@link #send()}. */
    public final class Call {

        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String json;

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** {@code X-Admin-Token}; none if {@code null}. */
        public Call token(String token) {
            return header("X-Admin-Token", token);
        }

        /** The session cookie ({@code GBM_CONSOLE=…}); none if {@code null}. */
        public Call cookie(String cookie) {
            return header("Cookie", cookie);
        }

        /** The console header a change made with the session cookie needs. */
        public Call console() {
            return header("X-Gbm-Console", "1");
        }

        /** The console header if {@code on}. */
        public Call console(boolean on) {
            return on ? console() : this;
        }

        /** A JSON body (and its content type); none if {@code null}. */
        public Call json(String body) {
            json = body;
            return header("Content-Type", body == null ? null : "application/json");
        }

        /** A header of the test's choosing; none if {@code value} is {@code null}. */
        public Call header(String name, String value) {
            if (value != null) {
                headers.put(name, value);
            }
            return this;
        }

        public Call headers(Map<String, String> more) {
            more.forEach(this::header);
            return this;
        }

        public HttpResponse<String> send() throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port.getAsInt() + path))
                    .method(
                            method,
                            json == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(json));
            headers.forEach(request::header);
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
