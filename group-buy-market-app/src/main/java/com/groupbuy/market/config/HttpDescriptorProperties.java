package com.groupbuy.market.config;

import jakarta.validation.constraints.Min;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gbm.http.descriptor-reserve}: the file descriptors kept, beyond those open when the web server is made, for
 * everything but the HTTP port's connections (see {@link DescriptorBudgetConfig}).
 */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.http")
public class HttpDescriptorProperties {

    /** The database and Redis pools, the XXL-Job executor's connections, callbacks, the broker and logs; 0 or more. */
    @Min(0)
    private int descriptorReserve = 1024;
}
