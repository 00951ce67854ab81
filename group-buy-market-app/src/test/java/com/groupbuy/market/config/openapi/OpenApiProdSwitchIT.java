package com.groupbuy.market.config.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySourcesPropertyResolver;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.test.context.TestPropertySource;

/**
 * Prod as application-prod.yml sets it, with the JSON switched on (GBM_OPENAPI_ENABLED=true): the description is
 * served as JSON, Swagger UI is not, nor springdoc's YAML copy of the description (their paths are unknown paths,
 * answered with our envelope). Nor are the UI's files under {@code /webjars/}: Boot's webjar handler served them,
 * version in the path, where there is no UI.
 */
@IntegrationTest
@TestPropertySource(properties = {"springdoc.swagger-ui.enabled=false", "springdoc.api-docs.enabled=true"})
class OpenApiProdSwitchIT {

    @LocalServerPort
    int port;

    @Test
    void prodServesTheJsonOnlyAndOnlyWhenSwitchedOn() throws Exception {
        assertThat(prod("springdoc.swagger-ui.enabled")).isEqualTo("false");
        assertThat(prod("springdoc.api-docs.enabled")).isEqualTo("${GBM_OPENAPI_ENABLED:false}");

        assertThat(get("/v3/api-docs").statusCode()).isEqualTo(200);
        for (String path : new String[] {
            "/swagger-ui.html",
            "/swagger-ui/index.html",
            "/v3/api-docs.yaml",
            "/webjars/swagger-ui/index.html",
            "/webjars/swagger-ui/" + swaggerUiVersion() + "/index.html"
        }) {
            HttpResponse<String> refused = get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(404);
            assertThat(TestJson.JSON.readTree(refused.body()).path("code").asText())
                    .as(path)
                    .isEqualTo("0002");
        }
    }

    /** The version of the Swagger UI webjar on the class path: its files' folder. */
    private static String swaggerUiVersion() throws Exception {
        String prefix = "webjars/swagger-ui/";
        String url = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/resources/" + prefix + "*/index.html")[0]
                .getURL()
                .toString();
        return url.substring(url.lastIndexOf(prefix) + prefix.length(), url.lastIndexOf("/index.html"));
    }

    private static String prod(String key) throws Exception {
        MutablePropertySources sources = new MutablePropertySources();
        new YamlPropertySourceLoader()
                .load("prod", new ClassPathResource("application-prod.yml"))
                .forEach(sources::addLast);
        PropertySourcesPropertyResolver resolver = new PropertySourcesPropertyResolver(sources);
        return resolver.getProperty(key, String.class) == null
                ? null
                : String.valueOf(
                        sources.get(sources.iterator().next().getName()).getProperty(key));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
