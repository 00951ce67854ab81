package com.groupbuy.market.infrastructure.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;

/**
 * Sockets that, while {@code failing} holds, connect from an address this host does not have, as when our source
 * address is gone: the kernel refuses them EADDRNOTAVAIL ("Cannot assign requested address"), a real fault of our own
 * side, before anything leaves the host. Otherwise plain sockets.
 */
public final class FromAnAddressNotOurs extends SocketFactory {

    /** TEST-NET-1: an address no host of ours has. */
    public static final InetSocketAddress NOT_OURS = new InetSocketAddress("192.0.2.1", 0);

    private final BooleanSupplier failing;

    public FromAnAddressNotOurs(BooleanSupplier failing) {
        this.failing = failing;
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                if (failing.getAsBoolean()) {
                    bind(NOT_OURS);
                }
                super.connect(endpoint, timeout);
            }
        };
    }

    // OkHttp and the AMQP client take unconnected sockets (above) only.
    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException();
    }
}
