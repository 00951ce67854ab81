package com.groupbuy.market.config.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springdoc.core.service.OpenAPIService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /v3/api-docs} needs no token, and springdoc kept one generated description per locale the caller's
 * {@code Accept-Language} named, for good: anyone reaching the port grew the heap by a whole description (and cost a
 * whole generation) with each new language tag. One description now serves every caller, whatever language it asks.
 * And that one description is shared: springdoc wrote each caller's {@code Host} into its server list before writing
 * it out, so under concurrent calls one caller's answer named another caller's host as the server to call.
 */
@SharedContextIntegrationTest
class OpenApiLocalesIT {

    private static final int LANGUAGES = 40;

    @LocalServerPort
    int port;

    @Autowired
    OpenAPIService descriptions;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCallersLanguageTagsKeepNoDescriptionOfTheirOwn() throws Exception {
        String english = get("en").body();
        List<Locale> asked = new ArrayList<>();
        for (int i = 0; i < LANGUAGES; i++) {
            // ISO 639's range reserved for local use: qaa..qtz, any number of them is a valid tag.
            String tag = "q" + (char) ('a' + i / 26) + (char) ('a' + i % 26);
            asked.add(Locale.forLanguageTag(tag));
            HttpResponse<String> answer = get(tag);
            assertThat(answer.statusCode()).as(tag).isEqualTo(200);
            assertThat(answer.body()).as(tag).isEqualTo(english);
        }

        // Whatever else a caller may send is still the description.
        for (String odd :
                new String[] {"*", "en-US", "x-private", "i-klingon", "de-CH-1996", "zz;q=nope", "en-US-POSIX"}) {
            HttpResponse<String> answer = get(odd);
            assertThat(answer.statusCode()).as(odd).isEqualTo(200);
            assertThat(answer.body()).as(odd).isEqualTo(english);
        }

        List<String> kept = asked.stream()
                .filter(locale -> descriptions.getCachedOpenAPI(locale) != null)
                .map(Locale::toLanguageTag)
                .toList();
        assertThat(kept).as("descriptions kept for the callers' languages").isEmpty();
    }

    /**
     * Callers calling at once, each under a Host of its own (every loopback literal passes the Host check, as every
     * name does on an instance bound beyond loopback without gbm.http.allowed-hosts): no answer may name another
     * caller's host, or a partner's generated client (or Swagger UI's "try it out") would send its orders there.
     */
    @Test
    void noCallersHostShowsInAnotherCallersDescription() throws Exception {
        List<String> hosts = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14");
        Map<String, Callable<List<String>>> callers = new LinkedHashMap<>();
        for (String host : hosts) {
            callers.put(host, () -> {
                List<String> crossed = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    for (String path : new String[] {"/v3/api-docs", "/v3/api-docs/swagger-config"}) {
                        String body = getUnder(host, path);
                        hosts.stream()
                                .filter(other -> !other.equals(host) && body.contains("//" + other + ":"))
                                .forEach(other -> crossed.add(path + " asked under " + host + " named " + other));
                    }
                }
                return crossed;
            });
        }
        List<String> crossed = new ArrayList<>();
        Race.together(callers).values().forEach(crossed::addAll);
        assertThat(crossed).as("answers naming another caller's Host").isEmpty();
    }

    private String getUnder(String host, String path) throws Exception {
        RawHttp.Answer answer = RawHttp.sendRaw(
                port,
                ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(answer.status()).as(path + " under " + host).isEqualTo(200);
        return answer.body();
    }

    private HttpResponse<String> get(String language) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                        .header("Accept-Language", language)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
