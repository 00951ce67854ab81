package com.groupbuy.market.config.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.BrokerImpl;
import org.apache.qpid.server.model.SystemConfig;

/**
 * The embedded AMQP 0-9-1 broker of the default profile (Apache Qpid Broker-J, in this JVM, messages in memory only),
 * so a newcomer's MQ lock has a broker to be delivered to. Binds 127.0.0.1 on a free port, user guest/guest. Whoever
 * starts it stops it ({@link #stop()}; the default profile after Spring's context has closed, so the consumers are
 * stopped first); its messages go with it (the outbox row, not the broker, is what survives a restart).
 */
final class EmbeddedBroker {

    private static final String CONFIG = "embedded/qpid-broker.json";
    /** Qpid reads system properties from a URL; its default "classpath:" URL does not open inside a Boot jar. */
    private static final String SYSTEM_PROPERTIES = "embedded/qpid-system.properties";

    private final int port;
    private final SystemLauncher launcher;
    private final Log log;

    private EmbeddedBroker(int port, SystemLauncher launcher, Log log) {
        this.port = port;
        this.launcher = launcher;
        this.log = log;
    }

    static EmbeddedBroker start(Path dataDir, Log log) {
        try {
            int port = freePort();
            Path workDir = dataDir.resolve("qpid");
            Files.createDirectories(workDir);
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "Memory");
            attributes.put("initialConfigurationLocation", resource(CONFIG).toExternalForm());
            attributes.put(
                    "initialSystemPropertiesLocation",
                    resource(SYSTEM_PROPERTIES).toExternalForm());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put(
                    "context",
                    Map.of(
                            "qpid.amqp_port",
                            Integer.toString(port),
                            "qpid.work_dir",
                            workDir.toString(),
                            "qpid.broker.defaultPreferenceStoreAttributes",
                            "{\"type\": \"Noop\"}",
                            "virtualhost.housekeepingCheckPeriod",
                            "200"));
            AtomicReference<SystemConfig<?>> system = new AtomicReference<>();
            SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
                @Override
                public void onContainerResolve(SystemConfig<?> config) {
                    system.set(config);
                }
            });
            launcher.startup(attributes);
            removeBrokersShutdownHook(system.get(), log);
            log.info("embedded AMQP broker (Qpid Broker-J, memory store) on 127.0.0.1:" + port);
            return new EmbeddedBroker(port, launcher, log);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded AMQP broker of the default profile", e);
        }
    }

    /**
     * Qpid's broker adds a JVM shutdown hook of its own (no setting turns it off), which closed the broker beside
     * Spring's graceful stop, while the listeners still had messages in hand. Its thread is a private field of the
     * broker (Qpid 9.2.0); should a later version keep it elsewhere, the hook stays and the broker stops as before.
     */
    private static void removeBrokersShutdownHook(SystemConfig<?> system, Log log) {
        try {
            Object broker = system.getContainer();
            Field hook = BrokerImpl.class.getDeclaredField("_shutdownHook");
            hook.setAccessible(true);
            Runtime.getRuntime().removeShutdownHook((Thread) hook.get(broker));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("the embedded AMQP broker keeps its own shutdown hook: it may stop before the service's "
                    + "listeners on a stop (" + e + ")");
        }
    }

    private static URL resource(String name) {
        URL url = EmbeddedBroker.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is missing from the classpath");
        }
        return url;
    }

    int port() {
        return port;
    }

    /** Shuts the broker down (its threads keep the JVM up until then); logged, a failure as a warning. */
    void stop() {
        EmbeddedStop.logged("embedded AMQP broker", launcher::shutdown, log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
