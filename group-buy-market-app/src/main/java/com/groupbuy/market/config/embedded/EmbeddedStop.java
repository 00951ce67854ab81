package com.groupbuy.market.config.embedded;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationShutdownHandlers;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * How the default profile's embedded servers are stopped: by Spring's shutdown hook, after the context has closed,
 * so the graceful stop, the jobs and the last writes still find their database, Redis and broker; and in the log,
 * one line a server, so an operator stopping the service sees that they stopped.
 */
final class EmbeddedStop implements ApplicationListener<ApplicationContextInitializedEvent> {

    static final String REGISTER_SHUTDOWN_HOOK = "spring.main.register-shutdown-hook";

    private final Runnable stop;

    private EmbeddedStop(Runnable stop) {
        this.stop = stop;
    }

    /**
     * Without Spring's shutdown hook nothing closes the context before the servers stop: set in the configuration,
     * the hook still runs the handlers (Spring Boot 3.5 reads the setting too late to leave it out), so the servers
     * stop under a service that is still working; set in code, nothing runs them and MariaDB and Redis outlive the
     * JVM. Only the setting can be seen here; the service's own main leaves the hook on. Called before anything is
     * started.
     */
    static void refuseWithoutSpringsShutdownHook(ConfigurableEnvironment environment) {
        if (!Binder.get(environment).bind(REGISTER_SHUTDOWN_HOOK, Boolean.class).orElse(true)) {
            throw new IllegalStateException(REGISTER_SHUTDOWN_HOOK + "=false cannot run with the default profile's "
                    + "embedded MariaDB, Redis and AMQP broker: Spring's shutdown hook stops them once the context has "
                    + "closed, and without it they would stop under a working service or outlive it. Remove the "
                    + "setting, or run a named profile (dev, prod) against servers of your own. Nothing was started.");
        }
    }

    /**
     * Spring's shutdown hook runs its handlers in the reverse order of their registration, and Spring's logging
     * registers the one that stops Logback while the environment is prepared, after the post-processors that start
     * the servers: there, the servers stopped after logging had, and their stop lines (a "did not stop cleanly" too)
     * were lost. So the stop is registered at once (a start refused later still ends the servers) and again when the
     * context is initialized, after logging's handler, so that it runs before it.
     */
    static void afterTheContextCloses(SpringApplication application, Runnable stop) {
        SpringApplication.getShutdownHandlers().add(stop);
        application.addListeners(new EmbeddedStop(stop));
    }

    @Override
    public void onApplicationEvent(ApplicationContextInitializedEvent event) {
        SpringApplicationShutdownHandlers handlers = SpringApplication.getShutdownHandlers();
        handlers.remove(stop);
        handlers.add(stop);
    }

    /** Runs one server's stop and logs how long it took, or that it did not stop cleanly; never throws. */
    static void logged(String server, Stop stop, Log log) {
        long started = System.nanoTime();
        try {
            stop.run();
            log.info(server + " stopped in " + millisSince(started) + " ms");
        } catch (Exception e) {
            log.warn(server + " did not stop cleanly (" + millisSince(started) + " ms)", e);
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    interface Stop {
        void run() throws Exception;
    }
}
