package com.groupbuy.market.config.xxljob;

import com.groupbuy.market.trigger.http.AllowedHosts;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.xxl.job.core.biz.ExecutorBiz;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor's HTTP endpoint the console calls ({@code /beat}, {@code /idleBeat}, {@code /run}, {@code /kill},
 * {@code /log}, POST with header {@code XXL-JOB-ACCESS-TOKEN}), in place of the library's embedded server, which
 * binds every interface, binds on a background thread (a port in use is only logged) and runs GLUE scripts. This one
 * binds the configured address before start-up goes on (a port in use stops the start), and refuses every glue type
 * but BEAN: our jobs are all Spring beans, and a script sent over the network is remote code execution.
 *
 * <p>Netty, not the JDK's {@code HttpServer}: that one reads each request on a pool thread and has no read timeout,
 * so a few connections that never finished a request (anyone reaching the port, no token needed) held every thread
 * and locked the console out for as long as they stayed open. Here a request is read without a thread of its own,
 * a connection silent for {@link #READ_TIMEOUT_SECONDS} is closed, and only a complete request reaches the pool.
 *
 * <p>The token is compared as soon as a request's headers have arrived ({@link TokenGate}): a request without the right
 * one is answered without its body ever being kept (it was buffered up to 1 MiB per connection, no token needed). Wrong
 * tokens are counted like the admin token's ({@link AdminAuthLimit}, keys of their own): past the limit of an address
 * every request presenting a token from it, the right one too, is refused until the window ends; past the limit of all
 * addresses, every one from an address that has not presented the right token lately (the console's has). {@code /log}
 * answers one page of at most {@link ExecutorLogPage#LOG_PAGE_BYTES} of log text ({@link ExecutorLogPage#readLog}). A
 * request whose {@code Host} names none of the executor's names ({@link AllowedHosts}: loopback, the address it arrived
 * at, the configured ip and address) is refused before its token is looked at, against DNS rebinding.
 */
public final class ExecutorHttpServer implements AutoCloseable {

    static final int READ_TIMEOUT_SECONDS = 30;
    /** {@code gbm.xxl-job.max-connections}'s default: connections of all addresses together, but known ones. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Threads that answer requests (token limit, then the job call); the event loop only reads and writes. */
    static final int POOL_THREADS = 2;
    /**
     * Complete requests waiting for a thread; past it a request is answered {@link ExecutorRequestHandler#BUSY} at
     * once.
     */
    static final int POOL_QUEUE = 200;

    private final Channel channel;
    private final EventLoopGroup loops;
    private final ExecutorService threads;

    private ExecutorHttpServer(Channel channel, EventLoopGroup loops, ExecutorService threads) {
        this.channel = channel;
        this.loops = loops;
        this.threads = threads;
    }

    /**
     * Binds {@code host:port} now; refuses to start when that address is taken or not ours. {@code limit} counts the
     * wrong tokens presented (per client address and over all addresses).
     */
    public static ExecutorHttpServer start(
            String host, int port, String accessToken, AdminAuthLimit limit, ExecutorBiz executorBiz) {
        return start(host, port, accessToken, limit, executorBiz, DEFAULT_MAX_CONNECTIONS, List.of());
    }

    /**
     * As above; {@code maxConnections} bounds the connections open at once from addresses that have not presented the
     * right token lately (a known address, the console's, is bounded by its own per-address limit only); a request is
     * served only when its {@code Host} names loopback, the address it arrived at, {@code host} (when a name) or one of
     * {@code names} (the host of {@code xxl.job.executor.address}): the console calls the
     * address we registered, and a page that rebinds its own name to this address (DNS rebinding) says its own name.
     * Such a page could otherwise send guesses of the token from the operator's own address until the console on that
     * address was locked out. Refused before the token is looked at, so nothing is counted.
     */
    public static ExecutorHttpServer start(
            String host,
            int port,
            String accessToken,
            AdminAuthLimit limit,
            ExecutorBiz executorBiz,
            int maxConnections,
            List<String> names) {
        List<String> served = new java.util.ArrayList<>(names);
        if (host != null && !host.isBlank() && host.indexOf(':') < 0) {
            served.add(host.trim());
        }
        AllowedHosts hosts = new AllowedHosts(served, true);
        if (maxConnections < 1) {
            throw new IllegalStateException("gbm.xxl-job.max-connections must be at least 1, not " + maxConnections);
        }
        if (limit == null) {
            throw new IllegalStateException("the XXL-Job executor needs a limit of wrong access tokens");
        }
        if (accessToken == null || accessToken.isBlank()) {
            throw new IllegalStateException("the XXL-Job executor needs an access token");
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "XXL-Job executor cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService threads = requestPool();
        EventLoopGroup loops = new NioEventLoopGroup(1, new DefaultThreadFactory("xxl-job-io", true));
        byte[] token = accessToken.getBytes(StandardCharsets.UTF_8);
        Refusals refusals = new Refusals();
        ExecutorCalls calls = new ExecutorCalls(token, limit, refusals, executorBiz);
        OpenConnections connections = new OpenConnections(maxConnections);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 50)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        String over = connections.open(ch);
                        if (over != null) {
                            refusals.log(over, "(connection)", ch.remoteAddress());
                            ch.close();
                            return;
                        }
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new TokenGate(token))
                                .addLast(new BoundedAggregator())
                                .addLast(new ExecutorRequestHandler(calls, refusals, threads, hosts, connections));
                    }
                });
        try {
            Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
            return new ExecutorHttpServer(channel, loops, threads);
        } catch (Exception e) { // Netty rethrows the bind's checked exception as it is
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            threads.shutdownNow();
            if (e instanceof BindException) {
                throw new IllegalStateException(
                        "XXL-Job executor cannot listen on " + host + ":" + port + " (" + e.getMessage()
                                + "): another process - a second instance? - holds it. Each instance needs its own "
                                + "executor address: set xxl.job.executor.port (XXL_JOB_EXECUTOR_PORT), or 0 for a "
                                + "free port",
                        e);
            }
            throw new IllegalStateException(
                    "XXL-Job executor cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * The threads that answer complete requests. Full: the request is answered "busy" by the event loop, which calls
     * nothing else ({@link ExecutorRequestHandler}). It ran the request itself before, token limit included: a Redis
     * call on the one thread that reads every connection, so a slow or stopped Redis stalled every connection, the
     * console's too, for as long as each call waited.
     */
    private static ExecutorService requestPool() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(
                POOL_THREADS,
                POOL_THREADS,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(POOL_QUEUE),
                r -> {
                    Thread thread = new Thread(r, "xxl-job-http-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** The address actually bound (the port the system chose when asked for 0). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        threads.shutdownNow();
    }
}
