package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Nothing listens beyond loopback unless configured, the Redis client included. Redisson's default resolver (Netty's
 * DNS client) bound an unconnected UDP socket on the wildcard address per event loop and kept it for the client's
 * life (status.md listed it as left: "the Redis client's DNS resolver holds UDP sockets on *"). A client built from
 * the service's own Redisson configuration, its address given by host name so the name is looked up, must answer and
 * leave this JVM with no new UDP socket bound to {@code 0.0.0.0} or {@code ::}. Sockets are read from
 * {@code /proc/self/fd} and {@code /proc/self/net/udp*} (Linux).
 */
@SharedContextIntegrationTest
class RedisLookupSocketsIT {

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final List<Path> UDP = List.of(Path.of("/proc/self/net/udp"), Path.of("/proc/self/net/udp6"));

    @Autowired
    RedissonClient redisson;

    @Test
    void aClientOfTheServicesRedisConfigurationLooksUpItsHostWithoutASocketOnAWildcardAddress() throws Exception {
        assumeTrue(Files.isDirectory(FDS) && Files.isReadable(UDP.get(0)), "needs Linux /proc");
        Config config = new Config(redisson.getConfig());
        if (!config.isClusterConfig()) {
            URI address = URI.create(config.useSingleServer().getAddress());
            // By name: an address literal is never looked up, a name goes through the configured resolver.
            config.useSingleServer().setAddress(address.getScheme() + "://localhost:" + address.getPort());
        }
        Set<String> before = wildcardUdpSockets();

        RedissonClient client = Redisson.create(config);
        Set<String> opened;
        String key = "redis-lookup-sockets-it:" + UUID.randomUUID();
        try {
            RBucket<String> bucket = client.getBucket(key);
            bucket.set("answered");
            assertThat(redisson.<String>getBucket(key).get())
                    .as("the client looked its host up and reached Redis")
                    .isEqualTo("answered");
            opened = wildcardUdpSockets();
            opened.removeAll(before);
        } finally {
            client.getBucket(key).delete();
            client.shutdown();
        }

        assertThat(opened)
                .as("UDP sockets this JVM opened on a wildcard address (any interface) for the Redis client")
                .isEmpty();
    }

    /** "local address:port (inode)" of every UDP socket of this process bound to 0.0.0.0 or ::. */
    private static Set<String> wildcardUdpSockets() throws IOException {
        Set<String> mine = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        mine.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // an fd closed between the listing and the read is no socket of ours any more
                }
            }
        }
        Set<String> wildcard = new TreeSet<>();
        for (Path table : UDP) {
            if (!Files.isReadable(table)) {
                continue;
            }
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f.length < 10 || !mine.contains(f[9])) {
                    continue;
                }
                String host = f[1].substring(0, f[1].indexOf(':'));
                if (host.chars().allMatch(c -> c == '0')) {
                    wildcard.add(f[1] + " (" + f[9] + ")");
                }
            }
        }
        return wildcard;
    }
}
