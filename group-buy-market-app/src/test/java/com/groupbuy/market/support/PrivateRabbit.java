package com.groupbuy.market.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * A RabbitMQ node of the test's own on free ports (its own node name, data and log directories), so a test may raise
 * a resource alarm on it: the shared broker on 5672 and its settings are never touched. Started with
 * {@code rabbitmq-server}, driven and stopped with {@code rabbitmqctl}.
 */
public final class PrivateRabbit {

    private final int port;
    private final String node;
    private final Path base;
    private final Process process;

    private PrivateRabbit(int port, String node, Path base, Process process) {
        this.port = port;
        this.node = node;
        this.base = base;
        this.process = process;
    }

    public static PrivateRabbit start() throws IOException, InterruptedException {
        return start("");
    }

    /**
     * A node started with {@code config} as its {@code rabbitmq.conf} (new-style {@code key = value} lines, e.g.
     * {@code channel_max = 16}); empty: the broker's defaults.
     */
    public static PrivateRabbit start(String config) throws IOException, InterruptedException {
        return start(config, "");
    }

    /**
     * A node started with {@code config} as its {@code rabbitmq.conf} and {@code advanced} as its
     * {@code advanced.config} (Erlang terms, e.g. {@code [{rabbit, [{channel_tick_interval, 500}]}].}: the settings
     * {@code rabbitmq.conf} has no key for); empty: none.
     */
    public static PrivateRabbit start(String config, String advanced) throws IOException, InterruptedException {
        int port = freePort();
        int distPort = freePort();
        String node = "gbm_it_" + port + "@localhost";
        Path base = Files.createTempDirectory("gbm-rabbit-" + port);
        Files.createDirectories(base.resolve("mnesia"));
        Files.createDirectories(base.resolve("log"));
        Files.writeString(base.resolve("enabled_plugins"), "[].");
        if (!config.isEmpty()) {
            Files.writeString(base.resolve("rabbitmq.conf"), config);
        }
        if (!advanced.isEmpty()) {
            Files.writeString(base.resolve("advanced.config"), advanced);
        }
        // Run as root, rabbitmq-server drops to the rabbitmq user, which must own its directories.
        run("chown", "-R", "rabbitmq:rabbitmq", base.toString());
        ProcessBuilder builder = new ProcessBuilder("rabbitmq-server")
                .redirectOutput(base.resolve("server.out").toFile())
                .redirectErrorStream(true);
        builder.environment()
                .putAll(Map.of(
                        "RABBITMQ_NODE_PORT", Integer.toString(port),
                        "RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1",
                        "RABBITMQ_NODENAME", node,
                        "RABBITMQ_DIST_PORT", Integer.toString(distPort),
                        "RABBITMQ_MNESIA_BASE", base.resolve("mnesia").toString(),
                        "RABBITMQ_LOG_BASE", base.resolve("log").toString(),
                        "RABBITMQ_ENABLED_PLUGINS_FILE",
                                base.resolve("enabled_plugins").toString(),
                        "RABBITMQ_CONFIG_FILE", base.resolve("rabbitmq").toString(),
                        "RABBITMQ_ADVANCED_CONFIG_FILE",
                                base.resolve("advanced.config").toString()));
        PrivateRabbit rabbit = new PrivateRabbit(port, node, base, builder.start());
        // Bounded generously: the node boots in seconds on a quiet machine, much slower on a busy one.
        long deadline = System.currentTimeMillis() + 90_000;
        while (!rabbit.listening()) {
            if (System.currentTimeMillis() > deadline || !rabbit.process.isAlive()) {
                String output = Files.readString(base.resolve("server.out"));
                rabbit.stop();
                throw new IllegalStateException("private rabbitmq-server " + node + " did not start: " + output);
            }
            Thread.sleep(100);
        }
        return rabbit;
    }

    public int port() {
        return port;
    }

    /**
     * A publisher connection factory on this node as the service's: correlated confirms and returns, its channels
     * bounded as MqPublisherChannelsConfig bounds the publisher connection's (gbm.mq.publisher-channels and
     * -channel-wait). The caller destroys it.
     */
    public CachingConnectionFactory publisherConnections() {
        com.rabbitmq.client.ConnectionFactory client = new com.rabbitmq.client.ConnectionFactory();
        client.setHost("127.0.0.1");
        client.setPort(port());
        client.setChannelRpcTimeout(5_000);
        CachingConnectionFactory connections = new CachingConnectionFactory(client);
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setPublisherReturns(true);
        connections.setChannelCacheSize(16);
        connections.setChannelCheckoutTimeout(1_000);
        return connections;
    }

    /**
     * Raises (or clears) the node's memory alarm: while it is raised the broker blocks every connection that publishes
     * (it stops reading from it), as it does when its memory or disk runs low.
     */
    public void memoryAlarm(boolean raised) throws IOException, InterruptedException {
        if (run("rabbitmqctl", "-n", node, "set_vm_memory_high_watermark", raised ? "0.0000001" : "0.4") != 0) {
            throw new IllegalStateException("rabbitmqctl could not set the memory watermark of " + node);
        }
    }

    /**
     * Sets (or replaces) the policy {@code name} on the node's default virtual host: its {@code definition} (JSON, e.g.
     * {@code {"expires":3000}}) applies to every queue whose name matches {@code pattern}, as an operator's
     * {@code rabbitmqctl set_policy}; {@code operator} sets an operator policy ({@code set_operator_policy}) instead.
     * Invisible over AMQP, as on a broker of someone else's.
     */
    public void policy(boolean operator, String name, String pattern, String definition)
            throws IOException, InterruptedException {
        String command = operator ? "set_operator_policy" : "set_policy";
        if (run("rabbitmqctl", "-n", node, command, "--apply-to", "queues", name, pattern, definition) != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " " + name + " " + definition + " failed");
        }
    }

    /** Clears the policy (or operator policy) {@code name}. */
    public void clearPolicy(boolean operator, String name) throws IOException, InterruptedException {
        String command = operator ? "clear_operator_policy" : "clear_policy";
        if (run("rabbitmqctl", "-n", node, command, name) != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " " + name + " failed");
        }
    }

    /** Adds the user {@code name} with {@code password} and no permissions ({@code rabbitmqctl add_user}). */
    public void addUser(String name, String password) throws IOException, InterruptedException {
        ctl("add_user", name, password);
    }

    /**
     * Sets the user's permissions on the default virtual host: the regular expressions of the names it may configure,
     * write and read ({@code rabbitmqctl set_permissions}).
     */
    public void permissions(String user, String configure, String write, String read)
            throws IOException, InterruptedException {
        ctl("set_permissions", "-p", "/", user, configure, write, read);
    }

    /**
     * Sets the default virtual host's limits ({@code rabbitmqctl set_vhost_limits}), JSON such as
     * {@code {"max-queues": 5}}; {@code {}} clears them.
     */
    public void vhostLimits(String definition) throws IOException, InterruptedException {
        if ("{}".equals(definition)) {
            ctl("clear_vhost_limits", "-p", "/");
        } else {
            ctl("set_vhost_limits", "-p", "/", definition);
        }
    }

    /** Sets a user's limits ({@code rabbitmqctl set_user_limits}), JSON such as {@code {"max-channels": 10}}. */
    public void userLimits(String user, String definition) throws IOException, InterruptedException {
        ctl("set_user_limits", user, definition);
    }

    /**
     * Sets the {@code rabbit} application's {@code key} to {@code value} (an Erlang term) on the running node, as
     * {@code rabbitmq.conf} would at its start ({@code rabbitmqctl eval 'application:set_env(rabbit, key, value).'}).
     */
    public void setEnv(String key, String value) throws IOException, InterruptedException {
        ctl("eval", "application:set_env(rabbit, " + key + ", " + value + ").");
    }

    /** Closes every client connection of the node ({@code rabbitmqctl close_all_connections}), as its restart does. */
    public void closeAllConnections() throws IOException, InterruptedException {
        ctl("close_all_connections", "closed by the test");
    }

    private void ctl(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 3];
        command[0] = "rabbitmqctl";
        command[1] = "-n";
        command[2] = node;
        System.arraycopy(arguments, 0, command, 3, arguments.length);
        if (run(command) != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /**
     * The numbers of the channels the broker has open on the client connections from each of {@code clientPorts} on
     * 127.0.0.1 (read with one {@code rabbitmqctl list_channels}, which changes nothing: the broker names a channel
     * after its connection, {@code "127.0.0.1:<client port> -> 127.0.0.1:<node port> (<number>)"}). One call for all
     * the connections, not a {@code list_connections} before it: each call boots the CLI's Erlang VM, seconds on a
     * busy machine.
     */
    public java.util.Map<Integer, java.util.List<Integer>> channelsOf(int... clientPorts)
            throws IOException, InterruptedException {
        java.util.Map<Integer, java.util.List<Integer>> channels = new java.util.HashMap<>();
        for (int clientPort : clientPorts) {
            channels.put(clientPort, new java.util.ArrayList<>());
        }
        for (String line :
                output("rabbitmqctl", "-n", node, "-q", "--no-table-headers", "list_channels", "name", "number")) {
            String[] columns = line.trim().split("\t");
            for (int clientPort : clientPorts) {
                String connection = "127.0.0.1:" + clientPort + " -> 127.0.0.1:" + port + " (";
                if (columns.length == 2 && columns[0].startsWith(connection)) {
                    channels.get(clientPort).add(Integer.parseInt(columns[1].trim()));
                }
            }
        }
        return channels;
    }

    private static java.util.List<String> output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return out.lines().toList();
    }

    public void stop() throws InterruptedException {
        try {
            run("rabbitmqctl", "-n", node, "stop");
        } catch (IOException e) {
            // the node is gone or unreachable: the process below is ended regardless
        }
        process.destroy();
        process.waitFor();
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        return FreePorts.next();
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
    }
}
