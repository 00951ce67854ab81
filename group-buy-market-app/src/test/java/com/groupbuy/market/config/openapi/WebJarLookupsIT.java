package com.groupbuy.market.config.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.resource.CachingResourceResolver;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;
import org.springframework.web.servlet.resource.ResourceResolver;

/**
 * Spring's webjar resolver looked up the first segment of a path it found no file for as a webjar name, and
 * webjars-locator-lite remembers every name it was asked, for good. Boot put that resolver on its static handlers
 * ({@code /**}, {@code /webjars/**}, every profile, no token: it turns the resource chain on when the locator is on the
 * class path), and springdoc on the Swagger UI's ({@code /webjars/*swagger-ui/**}): any unknown path {@code /x/y} left
 * an entry as long as {@code x}. The static handlers now run without the chain (and Boot's are off altogether since,
 * StaticFilesIT), and the UI's resolver looks up only the webjars the service ships; the UI is served as before.
 */
@SharedContextIntegrationTest
class WebJarLookupsIT {

    private static final int NAMES = 60;

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("resourceHandlerMapping")
    HandlerMapping resources;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void pathsNamingWebJarsWeDoNotShipLeaveNothingBehind() throws Exception {
        assertThat(get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
        // The webjar the service ships is still found by its name alone, without its version, by the UI's handlers.
        assertThat(get("/swagger-ui/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
        // Boot's own webjar handler is off (StaticFilesIT): no webjar is served under /webjars/.
        assertThat(get("/webjars/swagger-ui/index.html").statusCode()).isEqualTo(404);
        int before = remembered();

        for (int i = 0; i < NAMES; i++) {
            for (String path :
                    new String[] {"/w" + i + "/a.js", "/webjars/w" + i + "/a.js", "/webjars/w" + i + "swagger-ui/a.js"
                    }) {
                HttpResponse<String> answer = get(path);
                assertThat(answer.statusCode()).as(path).isEqualTo(404);
                assertThat(TestJson.JSON.readTree(answer.body()).path("code").asText())
                        .as(path)
                        .isEqualTo("0002");
            }
        }

        assertThat(remembered() - before)
                .as("entries the resource resolvers kept for made-up webjar names")
                .isZero();
        assertThat(get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    /** Entries held by every resource handler's webjar version cache and resource cache. */
    private int remembered() throws Exception {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int entries = 0;
        for (Object handler :
                ((AbstractUrlHandlerMapping) resources).getHandlerMap().values()) {
            if (!(handler instanceof ResourceHttpRequestHandler files)) {
                continue;
            }
            for (ResourceResolver resolver : files.getResourceResolvers()) {
                if (!seen.add(resolver)) {
                    continue;
                }
                if (resolver instanceof LiteWebJarsResourceResolver webJars) {
                    Object locator = field(LiteWebJarsResourceResolver.class, "webJarVersionLocator", webJars);
                    Object cache = field(locator.getClass(), "cache", locator);
                    entries += ((Map<?, ?>) field(cache.getClass(), "cache", cache)).size();
                }
                if (resolver instanceof CachingResourceResolver caching
                        && caching.getCache() instanceof ConcurrentMapCache map) {
                    entries += map.getNativeCache().size();
                }
            }
        }
        return entries;
    }

    private static Object field(Class<?> type, String name, Object of) throws Exception {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(of);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
