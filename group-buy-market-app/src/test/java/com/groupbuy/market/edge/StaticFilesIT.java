package com.groupbuy.market.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The service serves as files the console's (and, outside prod, the Swagger UI's, springdoc's own handlers) and no
 * others. Boot's static handlers served every jar's {@code static/}, {@code public/}, {@code resources/} and
 * {@code META-INF/resources/} at {@code /**}, no token: the embedded broker's management scripts answered at
 * {@code /js/qpid/…} as JavaScript, where every unknown path is the 404 envelope (prod: OpenApiProdSwitchIT).
 */
@SharedContextIntegrationTest
class StaticFilesIT {

    /** Boot's default static locations, as they are named inside a jar. */
    private static final List<String> STATIC_ROOTS = List.of("static/", "public/", "resources/", "META-INF/resources/");

    @LocalServerPort
    int port;

    @Test
    void theFilesOfOtherJarsAreUnknownPaths() throws Exception {
        Set<String> paths = new TreeSet<>();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (String root : STATIC_ROOTS) {
            for (Resource file : resolver.getResources("classpath*:" + root + "**/*.*")) {
                String url = file.getURL().toString();
                int at = url.indexOf("!/" + root);
                if (at < 0) {
                    continue;
                }
                String path = "/" + url.substring(at + 2 + root.length());
                // The console's own files, and the Swagger UI's (springdoc's handlers outside prod).
                if (!path.startsWith("/console/") && !path.startsWith("/webjars/")) {
                    paths.add(path);
                }
            }
        }
        // The embedded broker's memory-store plugin ships its management scripts under resources/.
        assertThat(paths).as("files of other jars in Boot's static locations").isNotEmpty();

        for (String path : paths) {
            RawHttp.Answer answer = get(path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(TestJson.JSON.readTree(answer.body()).path("code").asText())
                    .as(path)
                    .isEqualTo("0002");
        }
    }

    @Test
    void theConsolesFilesAreServed() throws Exception {
        RawHttp.Answer page = get("/console/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().getOrDefault("content-type", "")).startsWith("text/html");
        assertThat(page.headers()).containsKey("content-security-policy");
        RawHttp.Answer script = get("/console/console.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.headers().getOrDefault("content-type", "")).startsWith("text/javascript");
        assertThat(get("/console").status()).isEqualTo(302);
        RawHttp.Answer unknown = get("/console/nope.js");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(TestJson.JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("0002");
    }

    private RawHttp.Answer get(String path) throws Exception {
        return RawHttp.send(port, "GET", path, Map.of(), new byte[0]);
    }
}
