package com.groupbuy.market.config;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultNameResolver;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis host names are looked up by the JDK's resolver, on a thread of their own, not by Netty's DNS client.
 * Redisson's default resolver ({@code SequentialDnsAddressResolverFactory}, Netty's {@code DnsNameResolver}) bound
 * one unconnected UDP socket per Netty event loop on the wildcard address ({@code *} / {@code ::}; 17 and 18 in two
 * probes of a bare client) and held them for the client's life: datagrams from any host on any interface reached its
 * response decoder, and a host name's queries (re-resolved every 5 s by Redisson's DNS monitor) went out from a port
 * fixed for the client's life, so an off-path sender had a 16-bit id to guess to point our Redis connections
 * elsewhere. Nothing listens beyond loopback unless configured: the JDK's resolver (the system's, as for the
 * service's other lookups) opens a socket per query, connected to the name server, and closes it. Its lookups block,
 * so they run on one daemon thread ({@code redis-name-lookup}), never on the Netty event loops that carry Redis
 * traffic; an IP address is never looked up.
 */
@Configuration
public class RedisNameLookupConfig {

    @Bean
    public RedissonAutoConfigurationCustomizer redisNameLookups() {
        return config -> config.setAddressResolverGroupFactory(
                (datagramChannel, socketChannel, nameServers) -> new SystemLookups());
    }

    /** One resolver per event loop, all answering on the one lookup thread (closed with Redisson's group). */
    static final class SystemLookups extends AddressResolverGroup<InetSocketAddress> {

        private final EventExecutor lookups =
                new DefaultEventExecutor(new DefaultThreadFactory("redis-name-lookup", true));

        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new DefaultNameResolver(lookups).asAddressResolver();
        }

        @Override
        public void close() {
            super.close();
            lookups.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
