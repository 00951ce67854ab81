package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Checks the address a callback socket is about to connect to against the policy. {@link PublicOnlyDns} sees host
 * names only: OkHttp never asks the DNS about an IP literal such as {@code http://[64:ff9b::a9fe:a9fe]/}, so the
 * last word belongs to the socket itself.
 */
public class PublicOnlySocketFactory extends SocketFactory {

    private final NotifyUrlPolicy policy;

    public PublicOnlySocketFactory(NotifyUrlPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new CheckedSocket(policy);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress target) throws IOException {
        Socket socket = createSocket();
        socket.connect(target);
        return socket;
    }

    private static final class CheckedSocket extends Socket {

        private final NotifyUrlPolicy policy;

        CheckedSocket(NotifyUrlPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (endpoint instanceof InetSocketAddress target
                    && (target.getAddress() == null || !policy.isAllowed(target.getAddress()))) {
                close();
                throw new ConnectException("callback target " + target + " is refused by the notify URL policy");
            }
            super.connect(endpoint, timeout);
        }
    }
}
