package com.groupbuy.market.config;

import java.util.ArrayList;
import java.util.List;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gbm.http.allowed-hosts}: the names requests may carry in {@code Host} besides loopback names
 * ({@code GBM_HTTP_ALLOWEDHOSTS=gbm.example.com,gbm.internal}). Empty: loopback names only while the server listens
 * on loopback, and no check while it listens beyond (see {@link HostCheckConfig}).
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.http")
public class HttpHostProperties {

    /** Host names (no port, no wildcard), compared without case. */
    private List<String> allowedHosts = new ArrayList<>();
}
