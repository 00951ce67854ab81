package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The address the HTTP port listens on, with the configuration files read as Spring Boot reads them. Only the default
 * and dev profiles named a loopback address: any other profile — a misspelt {@code prd} or {@code production}, an
 * operator's own {@code staging} — fell back to application.yml, which named none, so the service listened on every
 * interface with the base settings (open health details and metrics, no prod guard, callbacks to loopback allowed).
 * Loopback is now the shared default; prod alone listens on every interface unless {@code SERVER_ADDRESS} says.
 */
class ListenAddressTest {

    @Test
    void aProfileWithoutAFileOfItsOwnListensOnLoopback() {
        for (String profile : new String[] {"prd", "production", "staging"}) {
            assertThat(address(profile)).as(profile).isNotNull();
            assertThat(address(profile).isLoopbackAddress()).as(profile).isTrue();
        }
    }

    @Test
    void theShippedProfilesListenAsDocumented() {
        assertThat(address("dev").isLoopbackAddress()).isTrue();
        assertThat(address("default").isLoopbackAddress()).isTrue();
        assertThat(address("test").isLoopbackAddress())
                .as("the suite's own servers: loopback, so its requests pass the Host check as a partner's would")
                .isTrue();
        assertThat(address("prod")).as("prod: every interface").isNull();
        assertThat(address("prod", "eu"))
                .as("prod with an operator's own profile")
                .isNull();
    }

    private static InetAddress address(String... profiles) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.setActiveProfiles(profiles);
        ConfigDataEnvironmentPostProcessor.applyTo(
                environment, new DefaultResourceLoader(), new DefaultBootstrapContext());
        return Binder.get(environment)
                .bindOrCreate("server", ServerProperties.class)
                .getAddress();
    }
}
