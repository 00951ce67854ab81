import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long each of our Redis scripts (and multi-key commands) blocks Redis at its largest legal input, and how long a
 * second client's command waits behind it (branch redislua). Redis runs one command at a time: while a script runs,
 * every lock's script waits. The scripts are read from the Java sources (never copied here), loaded with SCRIPT LOAD
 * and sent as EVALSHA, as Redisson sends them. Per case: the server's own time from SLOWLOG (slowlog-log-slower-than
 * 0) and the wall time a PING sent 1 ms after the script took to be answered.
 *
 *   redis-server --port 6424 --save '' --appendonly no --slowlog-log-slower-than 0 &
 *   java docs/bench/RedisScriptCost.java 6424 [case ...]
 *
 * Never against a shared Redis: it flushes the database it talks to.
 */
public class RedisScriptCost {

    static final Path ROOT = Path.of(System.getProperty("root", "."));
    static final String PLACES_SRC =
            "group-buy-market-infrastructure/src/main/java/com/groupbuy/market/infrastructure/trade/port/TeamPlaceReservation.java";
    static final String TAG_SRC =
            "group-buy-market-infrastructure/src/main/java/com/groupbuy/market/infrastructure/tag/port/TagBitmap.java";
    static final String LIMIT_SRC =
            "group-buy-market-infrastructure/src/main/java/com/groupbuy/market/infrastructure/trade/port/RedisTradeRateLimiter.java";

    static int port;

    public static void main(String[] args) throws Exception {
        port = Integer.parseInt(args[0]);
        List<String> only = List.of(args).subList(1, args.length);
        try (Conn c = new Conn()) {
            c.call("FLUSHALL");
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            System.out.printf("%-58s %10s %10s%n", "case", "server ms", "max PING ms");
            for (int target : Files.readString(ROOT.resolve(PLACES_SRC)).contains(" RECONCILE = ")
                    ? new int[] {100, 1_000, 10_000}
                    : new int[0]) {
                for (int closed : new int[] {0, target, 10 * target}) {
                    run(only, "reconcile target=" + target + " closed=" + closed, c, () -> reconcile(c, target, closed));
                }
            }
            if (Files.readString(ROOT.resolve(PLACES_SRC)).contains(" MARK_RELEASED = ")) {
                run(only, "reconcile step: mark 200 closed", c, () -> markReleased(c, 200));
                run(only, "reconcile step: drop 200 stale of 20,000", c, () -> dropStale(c, 20_000, 200));
                run(only, "reconcile step: HSCAN COUNT 200 of 20,000", c, () -> scanStep(c, 20_000));
                run(only, "reconcile step: n from HLEN of 20,000", c, () -> setTruth(c, 20_000));
            }
            for (int page : new int[] {200, 500, 10_000}) {
                run(only, "places page=" + page, c, () -> places(c, page));
            }
            run(only, "countOpened batch=1000", c, () -> countOpened(c, 1_000));
            for (long bits : new long[] {10_000_000L, 100_000_000L, 4_294_967_295L}) {
                run(only, "tag stage page=10000 first touch top=" + bits, c, () -> stage(c, bits, 10_000));
                run(only, "tag publish bitmap=" + bits + " bits", c, () -> publish(c, bits));
            }
            for (int permits : new int[] {2_000, 100_000}) {
                run(only, "ratelimit acquire releasing " + permits, c, () -> acquire(c, permits));
            }
        }
    }

    interface Case {
        Object[] prepare() throws IOException;
    }

    /**
     * Prepares, then sends the EVALSHA (or command) on one connection while another sends PING after PING until the
     * script's answer is in: the slowest PING is how long another client's command waited behind the script.
     */
    static void run(List<String> only, String name, Conn c, Case prepared) throws Exception {
        if (!only.isEmpty() && only.stream().noneMatch(name::startsWith)) {
            return;
        }
        c.call("FLUSHALL");
        Object[] command = prepared.prepare();
        c.call("SLOWLOG", "RESET");
        CompletableFuture<Object> script = CompletableFuture.supplyAsync(() -> {
            try (Conn s = new Conn()) {
                return s.call(command);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        double ping = 0;
        try (Conn p = new Conn()) {
            while (!script.isDone()) {
                long start = System.nanoTime();
                p.call("PING");
                ping = Math.max(ping, (System.nanoTime() - start) / 1e6);
            }
        }
        Object reply = script.join();
        double server = 0;
        for (Object entry : (List<?>) c.call("SLOWLOG", "GET", "128")) {
            List<?> e = (List<?>) entry;
            String cmd = String.valueOf(((List<?>) e.get(3)).get(0));
            if (cmd.equalsIgnoreCase(String.valueOf(command[0]))) {
                server = Math.max(server, (Long) e.get(2) / 1000.0);
            }
        }
        System.out.printf("%-58s %10.1f %10.1f   reply %s%n", name, server, ping, abbreviate(reply));
    }

    static String abbreviate(Object reply) {
        String s = reply instanceof List<?> l ? "list of " + l.size() : String.valueOf(reply);
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    /** The team's hash as the locks leave it: n, h:/t: per holder (every order ever taken, kept after commit). */
    static Object[] reconcile(Conn c, int target, int closed) throws IOException {
        String key = "gbm:team:place-holds:t1";
        int orders = target + closed;
        List<Object> hset = new ArrayList<>(List.of("HSET", key, "n", Integer.toString(target + 1)));
        List<Object> args = new ArrayList<>(List.of("EVALSHA", sha(c, PLACES_SRC, "RECONCILE")));
        List<Object> keys = new ArrayList<>(List.of(key));
        List<Object> inDb = new ArrayList<>(List.of(Integer.toString(target), "120000", "691200"));
        long now = System.currentTimeMillis();
        for (int i = 0; i < orders; i++) {
            String holder = holder(i);
            hset.add("h:" + holder);
            hset.add("1");
            hset.add("t:" + holder);
            hset.add(Long.toString(now - 3_600_000));
            inDb.add(holder);
            if (i >= target) {
                keys.add("gbm:released:order-" + i);
            }
        }
        // one more holder in flight (no row): the reason reconcile reads every holder
        hset.add("h:" + holder(-1));
        hset.add("1");
        hset.add("t:" + holder(-1));
        hset.add(Long.toString(now));
        c.call(hset.toArray());
        c.call("EXPIRE", key, "86400");
        args.add(Integer.toString(keys.size()));
        args.addAll(keys);
        args.addAll(inDb);
        return args.toArray();
    }

    /** A team hash of this many holders, all reserved in 1970 (stale). */
    static String teamHash(Conn c, int holders) throws IOException {
        String key = "gbm:team:place-holds:t1";
        List<Object> hset = new ArrayList<>(List.of("HSET", key, "n", Integer.toString(holders)));
        for (int i = 0; i < holders; i++) {
            hset.add("h:" + holder(i));
            hset.add("1");
            hset.add("t:" + holder(i));
            hset.add("1000");
        }
        c.call(hset.toArray());
        return key;
    }

    static Object[] markReleased(Conn c, int page) throws IOException {
        List<Object> args = new ArrayList<>(List.of("EVALSHA", sha(c, PLACES_SRC, "MARK_RELEASED"), page + 1));
        args.add(teamHash(c, 10));
        for (int i = 0; i < page; i++) {
            args.add("gbm:released:order-" + i);
        }
        args.add("691200");
        return args.toArray();
    }

    static Object[] dropStale(Conn c, int holders, int page) throws IOException {
        List<Object> args = new ArrayList<>(List.of("EVALSHA", sha(c, PLACES_SRC, "DROP_STALE"), "1"));
        args.add(teamHash(c, holders));
        args.add("120000");
        for (int i = 0; i < page; i++) {
            args.add(holder(i * (holders / page)));
        }
        return args.toArray();
    }

    static Object[] scanStep(Conn c, int holders) throws IOException {
        return new Object[] {"HSCAN", teamHash(c, holders), "0", "COUNT", "200"};
    }

    static Object[] setTruth(Conn c, int holders) throws IOException {
        return new Object[] {"EVALSHA", sha(c, PLACES_SRC, "SET_TRUTH"), "1", teamHash(c, holders), "9000", "9000"};
    }

    /** A holder as ITeamPlaceReservation.holder makes it: the partner's order key, length-prefixed. */
    static String holder(int i) {
        return String.format("4:s0014:c00110:u%09d:T%019d", i & Integer.MAX_VALUE, (i & Integer.MAX_VALUE) * 7919L);
    }

    static Object[] places(Conn c, int page) throws IOException {
        List<Object> args = new ArrayList<>(List.of("EVALSHA", sha(c, PLACES_SRC, "PLACES"), Integer.toString(page)));
        for (int i = 0; i < page; i++) {
            String key = "gbm:team:place-holds:team-" + i;
            c.call("HSET", key, "n", "3", "h:" + holder(i), "1", "t:" + holder(i), "1");
            args.add(key);
        }
        return args.toArray();
    }

    static Object[] countOpened(Conn c, int batch) throws IOException {
        List<Object> keys = new ArrayList<>();
        List<Object> ttls = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            keys.add("gbm:team:place-holds:team-" + i);
            keys.add("gbm:released:order-" + i);
            ttls.add("86400");
        }
        List<Object> args = new ArrayList<>(List.of("EVALSHA", sha(c, PLACES_SRC, "COUNT_OPENED"), keys.size()));
        args.addAll(keys);
        args.addAll(ttls);
        return args.toArray();
    }

    /** An import page's BITFIELD (RBitSet.set(long[], true)) whose positions reach the top of the bitmap first. */
    static Object[] stage(Conn c, long top, int page) {
        List<Object> args = new ArrayList<>(List.of("BITFIELD", "gbm:tag:{t}:by-partner:staging:r1"));
        for (int i = 0; i < page; i++) {
            args.add("set");
            args.add("u1");
            args.add(Long.toString(top - 1 - i * 7L));
            args.add("1");
        }
        return args.toArray();
    }

    /** The publish of a staging bitmap reaching position bits-1 over a live one as large (RENAME frees it). */
    static Object[] publish(Conn c, long bits) throws IOException {
        String staging = "gbm:tag:{t}:by-partner:staging:r2";
        String live = "gbm:tag:{t}:by-partner:members";
        c.call("SETBIT", staging, Long.toString(bits - 1), "1");
        c.call("SETBIT", staging, "0", "1");
        c.call("SETBIT", live, Long.toString(bits - 1), "1");
        return new Object[] {
            "EVALSHA", sha(c, TAG_SRC, "PUBLISH"), "4", staging, live, "gbm:tag:{t}:by-partner:loaded",
            "gbm:tag:{t}:by-partner:published-run", "batch", "2", "2"
        };
    }

    /** A bucket whose last window logged this many permits, all now older than a window: released by one check. */
    static Object[] acquire(Conn c, int permits) throws IOException {
        String key = "gbm:ratelimit:pair:s:c:window";
        long old = System.currentTimeMillis() * 1000 - 5_000_000;
        for (int from = 0; from < permits; from += 10_000) {
            List<Object> zadd = new ArrayList<>(List.of("ZADD", key));
            for (int i = from; i < Math.min(permits, from + 10_000); i++) {
                zadd.add(Long.toString(old + i));
                zadd.add("i:" + i);
            }
            c.call(zadd.toArray());
        }
        return new Object[] {"EVALSHA", sha(c, LIMIT_SRC, "ACQUIRE"), "1", key, "1000000", "1000000", "2000", "m"};
    }

    /** SCRIPT LOAD of the text block {@code name} in the Java source {@code file}, as the service sends it. */
    static String sha(Conn c, String file, String name) throws IOException {
        String source = Files.readString(ROOT.resolve(file));
        Matcher m = Pattern.compile(" " + name + " = \"\"\"\n(.*?)\"\"\";", Pattern.DOTALL).matcher(source);
        if (!m.find()) {
            throw new IllegalStateException(name + " not found in " + file);
        }
        return (String) c.call("SCRIPT", "LOAD", m.group(1).stripIndent());
    }

    /** A bare RESP connection. */
    static final class Conn implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;

        Conn() throws IOException {
            socket = new Socket("127.0.0.1", port);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Object call(Object... args) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (Object a : args) {
                byte[] bytes = String.valueOf(a).getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                b.writeBytes(bytes);
                b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(b.toByteArray());
            out.flush();
            return read();
        }

        Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IOException("Redis: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(n + 2);
                    return new String(data, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IOException("unexpected reply type " + (char) type);
            }
        }

        String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int ch = in.read(); ch != '\r'; ch = in.read()) {
                s.append((char) ch);
            }
            in.read();
            return s.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
