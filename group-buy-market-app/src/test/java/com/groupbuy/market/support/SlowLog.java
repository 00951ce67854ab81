package com.groupbuy.market.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The commands a {@link PrivateRedis} ran, each with its run time and how many arguments it was sent: its SLOWLOG
 * with every command logged ({@code slowlog-log-slower-than 0}, on the test's own server only), read with
 * {@code redis-cli --json}. Redis runs one command at a time, so a command's run time is how long every other client
 * waited behind it.
 */
public final class SlowLog {

    /** One command: its name, the arguments it was sent (the name included) and its run time in microseconds. */
    public record Entry(String command, int arguments, long micros) {}

    private final int port;

    private SlowLog(int port) {
        this.port = port;
    }

    /** Logs every command from now on, the log emptied. */
    public static SlowLog start(PrivateRedis redis) throws IOException, InterruptedException {
        SlowLog log = new SlowLog(redis.port());
        log.cli("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "100000");
        log.cli("SLOWLOG", "RESET");
        return log;
    }

    /**
     * The commands logged since the start. SLOWLOG keeps at most 32 arguments of a command, the last of them
     * {@code ... (N more arguments)}: counted back in.
     */
    public List<Entry> entries() throws IOException, InterruptedException {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode entry : new ObjectMapper().readTree(cli("SLOWLOG", "GET", "-1"))) {
            JsonNode args = entry.get(3);
            int count = args.size();
            String last = args.get(count - 1).asText();
            if (last.matches("\\.\\.\\. \\(\\d+ more arguments\\)")) {
                count += Integer.parseInt(last.replaceAll("\\D", "")) - 1;
            }
            entries.add(new Entry(
                    args.get(0).asText().toLowerCase(), count, entry.get(2).asLong()));
        }
        return entries;
    }

    private String cli(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("redis-cli", "--json", "-p", Integer.toString(port)));
        line.addAll(List.of(command));
        Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes());
        if (!cli.waitFor(10, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            throw new IllegalStateException("redis-cli " + String.join(" ", command) + ": " + out);
        }
        return out;
    }
}
