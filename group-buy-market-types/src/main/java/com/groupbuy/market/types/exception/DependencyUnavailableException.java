package com.groupbuy.market.types.exception;

/**
 * Redis or the database cannot be used right now (down, refusing, too slow, or its breaker open). Callers answer
 * E0401 with HTTP 503 and Retry-After: the request did nothing and may be sent again.
 */
public class DependencyUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The dependency named by an outage of Redis. */
    public static final String REDIS = "redis";

    private final String dependency;

    public DependencyUnavailableException(String dependency, String message, Throwable cause) {
        super(dependency + " unavailable: " + message, cause);
        this.dependency = dependency;
    }

    public String getDependency() {
        return dependency;
    }

    public boolean isRedis() {
        return REDIS.equals(dependency);
    }
}
