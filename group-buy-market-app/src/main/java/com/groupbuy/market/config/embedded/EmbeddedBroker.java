package com.groupbuy.market.config.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.qpid.server.SystemLauncher;

/**
 * The embedded AMQP 0-9-1 broker of the default profile (Apache Qpid Broker-J, in this JVM, messages in memory only),
 * so a newcomer's MQ lock has a broker to be delivered to. Binds 127.0.0.1 on a free port, user guest/guest; it stops
 * with the JVM, and its messages with it (the outbox row, not the broker, is what survives a restart).
 */
final class EmbeddedBroker {

    private static final String CONFIG = "embedded/qpid-broker.json";
    /** Qpid reads system properties from a URL; its default "classpath:" URL does not open inside a Boot jar. */
    private static final String SYSTEM_PROPERTIES = "embedded/qpid-system.properties";

    private final int port;

    private EmbeddedBroker(int port) {
        this.port = port;
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
            SystemLauncher launcher = new SystemLauncher();
            launcher.startup(attributes);
            Runtime.getRuntime().addShutdownHook(new Thread(launcher::shutdown, "embedded-broker-stop"));
            log.info("embedded AMQP broker (Qpid Broker-J, memory store) on 127.0.0.1:" + port);
            return new EmbeddedBroker(port);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded AMQP broker of the default profile", e);
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
