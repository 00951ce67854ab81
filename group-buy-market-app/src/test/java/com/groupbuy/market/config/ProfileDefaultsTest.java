package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.PropertySourcesPropertyResolver;
import org.springframework.core.io.ClassPathResource;

/** Settings a profile must ship with, read from the real YAML files (a full default-profile start is slow). */
class ProfileDefaultsTest {

    @Test
    void theDefaultProfileListensOnLoopbackUnlessTold() throws Exception {
        assertThat(resolve("application-default.yml", "server.address")).isEqualTo("127.0.0.1");
    }

    /**
     * The dev profile is a developer's machine too (root database, demo secret, open metrics and health details, the
     * test receiver): it listened on every interface because only the default profile named an address.
     */
    @Test
    void theDevProfileListensOnLoopbackUnlessTold() throws Exception {
        assertThat(resolve("application-dev.yml", "server.address")).isEqualTo("127.0.0.1");
    }

    @Test
    void nothingShipsTheKnownExecutorToken() throws Exception {
        assertThat(resolve("application.yml", "xxl.job.admin.accessToken")).isEmpty();
    }

    @Test
    void prodHidesHealthDetailsAndMetricsWithoutTheAdminToken() throws Exception {
        assertThat(resolve("application-prod.yml", "management.endpoint.health.show-details"))
                .isEqualTo("when-authorized");
        assertThat(resolve("application-prod.yml", "gbm.admin.protect-actuator"))
                .isEqualTo("true");
    }

    /** Behind a proxy that ends TLS the server sees plain HTTP: "auto" sent the console's cookie without Secure. */
    @Test
    void prodSendsTheConsoleCookieSecureAlways() throws Exception {
        assertThat(resolve("application-prod.yml", "gbm.console.cookie-secure")).isEqualTo("always");
    }

    private static String resolve(String file, String key) throws Exception {
        List<PropertySource<?>> loaded = new YamlPropertySourceLoader().load(file, new ClassPathResource(file));
        MutablePropertySources sources = new MutablePropertySources();
        loaded.forEach(sources::addLast);
        PropertySourcesPropertyResolver resolver = new PropertySourcesPropertyResolver(sources);
        resolver.setIgnoreUnresolvableNestedPlaceholders(true);
        return resolver.getProperty(key);
    }
}
