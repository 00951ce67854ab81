package com.groupbuy.market.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of the test's own: masters without replicas, each a {@link PrivateRedis} on free ports (its client
 * and cluster-bus ports both drawn), so a test may pause or kill a node without touching the shared cluster on
 * 7101-7103. The node timeout is 1 s: a paused master is failed by the others, and the whole cluster answers
 * {@code CLUSTERDOWN}, within about two seconds. Nothing persisted but each node's cluster configuration (under
 * {@code target/}), so a node started again keeps its slots and comes back empty.
 */
public final class PrivateRedisCluster {

    private final List<PrivateRedis> masters;

    private PrivateRedisCluster(List<PrivateRedis> masters) {
        this.masters = masters;
    }

    public static PrivateRedisCluster start(int masterCount) throws IOException, InterruptedException {
        return start(masterCount, 0);
    }

    /** With {@code replicasPerMaster} replicas of each master (the node list then holds them too). */
    public static PrivateRedisCluster start(int masterCount, int replicasPerMaster)
            throws IOException, InterruptedException {
        List<PrivateRedis> masters = new ArrayList<>();
        for (int i = 0; i < masterCount * (1 + replicasPerMaster); i++) {
            masters.add(PrivateRedis.start(PrivateRedisCluster::nodeArgs));
        }
        PrivateRedisCluster cluster = new PrivateRedisCluster(masters);
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        masters.forEach(node -> create.add("127.0.0.1:" + node.port()));
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        cli(masters.get(0).port(), create.toArray(String[]::new));
        cluster.awaitState("ok", null);
        return cluster;
    }

    /**
     * A fresh cluster node in a folder of its own under {@code target/} (a replica's full sync writes the master's
     * snapshot there): its configuration file from an earlier run on the same port would name another cluster.
     */
    private static List<String> nodeArgs(int port) {
        try {
            Path dir = Path.of("target", "private-redis-cluster-" + port).toAbsolutePath();
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("nodes.conf"));
            Files.deleteIfExists(dir.resolve("dump.rdb"));
            return List.of(
                    "--dir",
                    dir.toString(),
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-node-timeout",
                    "1000",
                    "--cluster-port",
                    Integer.toString(PrivateRedis.freePort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port,...} for {@code spring.data.redis.cluster.nodes}. */
    public String nodes() {
        return masters.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** A master that does not hold {@code key}'s slot. */
    public PrivateRedis masterNotServing(String key) throws IOException, InterruptedException {
        int port = masters.get(0).port();
        int slot = Integer.parseInt(cli(port, "cluster", "keyslot", key).trim());
        for (String line : cli(port, "cluster", "nodes").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 8 && serves(fields, slot)) {
                int owner = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                return masters.stream()
                        .filter(node -> node.port() != owner)
                        .findFirst()
                        .orElseThrow();
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    private static boolean serves(String[] nodeLine, int slot) {
        for (int i = 8; i < nodeLine.length; i++) {
            String[] range = nodeLine[i].split("-");
            if (range[0].startsWith("[")) {
                continue; // a slot being migrated, not served
            }
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            if (from <= slot && slot <= to) {
                return true;
            }
        }
        return false;
    }

    /** The node at {@code port}. */
    public PrivateRedis node(int port) {
        return masters.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
    }

    /** The port of the replica of the master holding {@code key}'s slot. */
    public int replicaOf(String key) throws IOException, InterruptedException {
        int port = masters.get(0).port();
        int slot = Integer.parseInt(cli(port, "cluster", "keyslot", key).trim());
        String nodes = cli(port, "cluster", "nodes");
        String masterId = null;
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 8 && serves(fields, slot)) {
                masterId = fields[0];
            }
        }
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 3 && fields[2].contains("slave") && fields[3].equals(masterId)) {
                return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
            }
        }
        throw new IllegalStateException("no replica of the master of slot " + slot);
    }

    /** Runs one command on the node at {@code port} and returns its output. */
    public static String command(int port, String... args) throws IOException, InterruptedException {
        return cli(port, args);
    }

    /** Until every node but {@code except} reports {@code cluster_state:<state>} (bounded: 30 s). */
    public void awaitState(String state, PrivateRedis except) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        for (PrivateRedis node : masters) {
            if (node == except) {
                continue;
            }
            while (!cli(node.port(), "cluster", "info").contains("cluster_state:" + state)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("node " + node.port() + " never reported cluster_state:" + state);
                }
                Thread.sleep(50);
            }
        }
    }

    public void kill() throws InterruptedException {
        for (PrivateRedis node : masters) {
            node.kill();
        }
    }

    private static String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (cli.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
