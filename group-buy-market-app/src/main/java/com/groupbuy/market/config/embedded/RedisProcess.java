package com.groupbuy.market.config.embedded;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.embedded.RedisServer;

/**
 * The embedded Redis server as a child process that only {@link #stop()} ends. embedded-redis's own {@code
 * RedisServer} adds a JVM shutdown hook at every start, which ended Redis while Spring's context was still closing;
 * its binary and command line are used as they are. The server's output goes to a file in the data folder.
 */
final class RedisProcess {

    private static final long READY_WITHIN_MILLIS = 30_000;

    private final int port;
    private final List<String> command;
    private final Path output;
    private Process process;

    RedisProcess(int port, Path output) throws IOException {
        this.port = port;
        this.output = output;
        this.command = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .buildCommandArgs();
    }

    /** Starts the server and waits until it accepts connections; nothing when it runs. */
    synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(command)
                .directory(new File(command.get(0)).getParentFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(output.toFile()))
                .start();
        long deadline = System.currentTimeMillis() + READY_WITHIN_MILLIS;
        while (!EmbeddedServers.listening(port)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                process.destroyForcibly();
                throw new IOException(
                        "embedded Redis did not come up on 127.0.0.1:" + port + "; its output: " + output);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Ends the server (SIGTERM, then SIGKILL after 30 s) and waits for it; nothing when it is not running. A server
     * that had to be killed is ended all the same, and reported: it did not stop cleanly.
     */
    synchronized void stop() throws InterruptedException, IOException {
        if (process == null) {
            return;
        }
        Process ending = process;
        process = null;
        ending.destroy();
        if (!ending.waitFor(30, TimeUnit.SECONDS)) {
            ending.destroyForcibly().waitFor();
            throw new IOException(
                    "embedded Redis on 127.0.0.1:" + port + " did not end within 30 s of SIGTERM; killed");
        }
    }
}
