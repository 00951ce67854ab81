package com.groupbuy.market.config;

import com.groupbuy.market.trigger.http.AllowedHosts;
import com.groupbuy.market.trigger.http.HostCheckValve;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code Host} check against DNS rebinding ({@link AllowedHosts}, {@link HostCheckValve}): with the default
 * profile's loopback address and well-known admin token, any web page an operator opened could otherwise rebind its
 * own name to 127.0.0.1 and drive the admin API, the console, the actuator and the partner calls as a same-origin
 * client. A bad list ({@code gbm.http.allowed-hosts} with a port or a wildcard) stops the start.
 */
@Slf4j
@Configuration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class HostCheckConfig {

    @Bean
    public AllowedHosts allowedHosts(HttpHostProperties properties, ServerProperties server) {
        AllowedHosts hosts =
                new AllowedHosts(properties.getAllowedHosts(), AllowedHosts.loopbackOnly(server.getAddress()));
        if (hosts.active()) {
            log.info("Host check on: loopback names and {} (gbm.http.allowed-hosts)", properties.getAllowedHosts());
        } else {
            log.info("Host check off: the server listens beyond loopback and gbm.http.allowed-hosts is empty");
        }
        return hosts;
    }

    /** On the application's context, so it runs before every filter and servlet. */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> hostCheck(AllowedHosts hosts) {
        return factory -> {
            if (hosts.active()) {
                factory.addContextValves(new HostCheckValve(hosts));
            }
        };
    }
}
