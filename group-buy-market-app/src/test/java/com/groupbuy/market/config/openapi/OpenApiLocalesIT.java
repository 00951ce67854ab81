package com.groupbuy.market.config.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springdoc.core.service.OpenAPIService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /v3/api-docs} needs no token, and springdoc kept one generated description per locale the caller's
 * {@code Accept-Language} named, for good: anyone reaching the port grew the heap by a whole description (and cost a
 * whole generation) with each new language tag. One description now serves every caller, whatever language it asks.
 */
@IntegrationTest
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

    private HttpResponse<String> get(String language) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                        .header("Accept-Language", language)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
