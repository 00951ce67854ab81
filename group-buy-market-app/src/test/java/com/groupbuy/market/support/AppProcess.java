package com.groupbuy.market.support;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as a second process of its own (a JVM started from this test's class path), so a test can run two
 * instances on one database and one Redis as production does: the XXL-Job executor library keeps its handlers and
 * job threads in JVM-wide statics, so two executors in one JVM would run each other's handlers. A process can also
 * be killed outright ({@link #kill()}), the way a crashed instance goes.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int executorPort;
    private final Path output;
    private final StdoutPipe stdout;
    /** The internal exchange given to the process, its own, deleted once it ended; null when the test named one. */
    private final String ownExchange;

    private AppProcess(
            Process process, int port, int executorPort, Path output, StdoutPipe stdout, String ownExchange) {
        this.process = process;
        this.port = port;
        this.executorPort = executorPort;
        this.output = output;
        this.stdout = stdout;
        this.ownExchange = ownExchange;
    }

    /**
     * Starts the service in the test profile with these extra {@code --name=value} arguments plus its own HTTP and
     * executor ports, and waits until it answers HTTP (its executor is bound before that).
     */
    public static AppProcess start(String name, List<String> arguments) throws IOException, InterruptedException {
        return start(name, List.of(), arguments);
    }

    /**
     * As {@link #start(String, List)}, the JVM run through {@code launcher} (a command that ends by executing the
     * rest, such as {@code prlimit --nofile=1024:1024 --}), so the process is the JVM itself.
     */
    public static AppProcess start(String name, List<String> launcher, List<String> arguments)
            throws IOException, InterruptedException {
        return start(name, launcher, List.of(), arguments);
    }

    /**
     * As {@link #start(String, List, List)}, the JVM given these options too ({@code jvmOptions}, after its own: a
     * {@code -Xmx} there is the one that holds), as a container's or unit's java command sets them.
     */
    public static AppProcess start(String name, List<String> launcher, List<String> jvmOptions, List<String> arguments)
            throws IOException, InterruptedException {
        return start(name, launcher, jvmOptions, arguments, false);
    }

    /**
     * As {@link #start(String, List)}, its stdout and stderr a pipe this test reads ({@link #stdout()}) and may stop
     * reading, as journald or a container's log driver holds it, instead of a file.
     */
    public static AppProcess startPiped(String name, List<String> arguments) throws IOException, InterruptedException {
        return start(name, List.of(), List.of(), arguments, true);
    }

    /**
     * Starts the service as {@link #start(String, List)} expecting it to refuse: returns everything it wrote (the whole
     * log, which is kept in {@code target/}); a start that succeeds is stopped and fails the test.
     */
    public static String refusedStart(String name, List<String> arguments) throws IOException, InterruptedException {
        try {
            start(name, arguments).kill();
        } catch (IllegalStateException refused) {
            try (java.util.stream.Stream<Path> logs = java.nio.file.Files.list(Path.of("target"))) {
                Path output = logs.filter(p -> p.getFileName().toString().startsWith("gbm-" + name + "-"))
                        .max(Path::compareTo)
                        .orElseThrow();
                return java.nio.file.Files.readString(output);
            }
        }
        throw new AssertionError("instance " + name + " started; it was expected to refuse");
    }

    private static AppProcess start(
            String name, List<String> launcher, List<String> jvmOptions, List<String> arguments, boolean piped)
            throws IOException, InterruptedException {
        int port = freePort();
        int executorPort = freePort();
        // Kept after the run (target/ of the module): the second instance's own log is where its failures show.
        Path output = Path.of("target", "gbm-" + name + "-" + System.currentTimeMillis() + ".log")
                .toAbsolutePath();
        List<String> command = new ArrayList<>(launcher);
        command.addAll(javaCommand(jvmOptions));
        command.addAll(List.of(
                "--spring.profiles.active=test", "--server.port=" + port, "--xxl.job.executor.port=" + executorPort));
        command.addAll(arguments);
        // Not the test profile's default internal exchange (".test", as the process has no gbm.test.database): every
        // process of every run declared that one on the shared broker and nothing deleted it. One of its own instead.
        String ownExchange = arguments.stream().anyMatch(a -> a.startsWith("--gbm.mq.internal-exchange="))
                ? null
                : "group_buy_market_internal_exchange." + TestDatabaseNames.next("app", 8);
        if (ownExchange != null) {
            command.add("--gbm.mq.internal-exchange=" + ownExchange);
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(piped ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.to(output.toFile()))
                .directory(new File("."))
                .start();
        StdoutPipe stdout = piped ? StdoutPipe.reading(process.getInputStream(), name) : null;
        AppProcess app = new AppProcess(process, port, executorPort, output, stdout, ownExchange);
        long deadline = System.currentTimeMillis() + 120_000;
        while (!answers(port)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                app.kill();
                throw new IllegalStateException("instance " + name + " did not start; its output: " + output + "\n"
                        + (piped ? stdout.text() : tail(output)));
            }
            Thread.sleep(200);
        }
        return app;
    }

    /** The JVM that runs {@code Application} from this test's class path, small and quick to start; no arguments. */
    public static List<String> javaCommand() {
        return javaCommand(List.of());
    }

    /** {@link #javaCommand()} with these JVM options after its own (the last {@code -Xmx} given holds). */
    public static List<String> javaCommand(List<String> jvmOptions) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.groupbuy.market.Application"));
        return command;
    }

    public int port() {
        return port;
    }

    public int executorPort() {
        return executorPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no lease given back, no deregistration; as a crashed machine. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        deleteOwnExchange();
    }

    /** An orderly stop (SIGTERM), then the kill when it takes too long. */
    @Override
    public void close() throws InterruptedException {
        // The handle's SIGTERM: Process.destroy() also closes our end of a piped stdout, and the lines of the stop
        // were lost.
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        } else {
            deleteOwnExchange();
        }
    }

    /** The process's own internal exchange, from the shared broker, once the process ended (a no-op elsewhere). */
    private void deleteOwnExchange() {
        if (ownExchange == null || process.isAlive()) {
            return;
        }
        try {
            MallQueues.onBroker(admin -> admin.deleteExchange(ownExchange));
        } catch (RuntimeException e) {
            // The shared broker is down: the process could not have declared it there either.
        }
    }

    /** Where the output went, unless {@link #startPiped piped}. */
    public Path output() {
        return output;
    }

    /** The stdout pipe of a {@link #startPiped piped} start. */
    public StdoutPipe stdout() {
        if (stdout == null) {
            throw new IllegalStateException("not started piped: its output is in " + output);
        }
        return stdout;
    }

    private static boolean answers(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A port for a server started later: {@link FreePorts#next}. */
    public static int freePort() {
        return FreePorts.next();
    }
}
