package com.groupbuy.market.config.xxljob;

import com.groupbuy.market.trigger.http.AllowedHosts;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import com.groupbuy.market.types.text.LogSafeText;
import com.xxl.job.core.biz.ExecutorBiz;
import com.xxl.job.core.biz.model.IdleBeatParam;
import com.xxl.job.core.biz.model.KillParam;
import com.xxl.job.core.biz.model.LogParam;
import com.xxl.job.core.biz.model.ReturnT;
import com.xxl.job.core.biz.model.TriggerParam;
import com.xxl.job.core.glue.GlueTypeEnum;
import com.xxl.job.core.util.GsonTool;
import com.xxl.job.core.util.XxlJobRemotingUtil;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import lombok.extern.slf4j.Slf4j;

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
@Slf4j
public final class ExecutorHttpServer implements AutoCloseable {

    static final int READ_TIMEOUT_SECONDS = 30;

    static final String WRONG_TOKEN = "The access token is wrong.";
    /** {@code gbm.xxl-job.max-connections}'s default: connections of all addresses together, but known ones. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Threads that answer requests (token limit, then the job call); the event loop only reads and writes. */
    static final int POOL_THREADS = 2;
    /** Complete requests waiting for a thread; past it a request is answered {@link #BUSY} at once. */
    static final int POOL_QUEUE = 200;

    static final String HOST_REFUSED =
            "request refused: this executor does not answer to the name in Host (call the address it registered)";

    static final String BUSY = "the executor is busy (too many requests waiting), try again later";

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
        AtomicInteger n = new AtomicInteger();
        // Full: the request is answered "busy" by the event loop, which calls nothing else ({@link Handler}). It ran
        // the request itself before, token limit included: a Redis call on the one thread that reads every connection,
        // so a slow or stopped Redis stalled every connection, the console's too, for as long as each call waited.
        ExecutorService threads = new ThreadPoolExecutor(
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
        EventLoopGroup loops = new NioEventLoopGroup(1, new DefaultThreadFactory("xxl-job-io", true));
        byte[] token = accessToken.getBytes(StandardCharsets.UTF_8);
        Refusals refusals = new Refusals();
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
                                .addLast(new TokenGate(token, connections))
                                .addLast(new BoundedAggregator())
                                .addLast(new Handler(token, limit, refusals, executorBiz, threads, hosts));
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

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final byte[] token;
        private final AdminAuthLimit limit;
        private final Refusals refusals;
        private final ExecutorBiz executorBiz;
        private final ExecutorService threads;
        private final AllowedHosts hosts;

        Handler(
                byte[] token,
                AdminAuthLimit limit,
                Refusals refusals,
                ExecutorBiz executorBiz,
                ExecutorService threads,
                AllowedHosts hosts) {
            this.hosts = hosts;
            this.token = token;
            this.limit = limit;
            this.refusals = refusals;
            this.executorBiz = executorBiz;
            this.threads = threads;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String method = request.method().name();
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            String rawPath = uri.rawPath();
            String given = request.headers().get(XxlJobRemotingUtil.XXL_JOB_ACCESS_TOKEN);
            String body = request.content().toString(StandardCharsets.UTF_8);
            Object remote = ctx.channel().remoteAddress();
            if (!hosts.admits(request.headers().get(HttpHeaderNames.HOST), localAddress(ctx))) {
                // On the event loop: nothing is counted or called for it.
                refusals.log("Host not served", rawPath, remote);
                ExecutorReplies.reply(ctx, ReturnT.ofFail(HOST_REFUSED));
                return;
            }
            Runnable work = () -> {
                ReturnT<?> answer;
                try {
                    answer = answer(method, path, rawPath, given, body, remote, token, limit, refusals, executorBiz);
                } catch (InvalidBody e) {
                    answer = ReturnT.ofFail(e.getMessage());
                } catch (DependencyUnavailableException e) {
                    log.warn("xxl-job executor request {} refused: {}", rawPath, e.getMessage());
                    answer = ReturnT.ofFail(
                            "the executor cannot check access tokens now (Redis unavailable), try " + "again later");
                } catch (RuntimeException e) {
                    // The reason stays in our log: exception messages name classes and echo input.
                    log.warn("xxl-job executor request {} failed: {}", rawPath, LogSafeText.of(e.toString()));
                    answer = ReturnT.ofFail("request failed (the executor's log says why)");
                }
                ExecutorReplies.reply(ctx, answer);
            };
            try {
                threads.execute(work);
            } catch (RejectedExecutionException full) {
                // On the event loop: no token check (a Redis call) and no job here, only the answer. Nothing is lost
                // that the console does not retry: a refused /run is a failed trigger, shown as such.
                refusals.log("request pool full", rawPath, remote);
                ExecutorReplies.reply(ctx, ReturnT.ofFail(BUSY));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof ReadTimeoutException)) {
                log.debug(
                        "xxl-job executor connection {} closed: {}",
                        ctx.channel().remoteAddress(),
                        cause.toString());
            }
            ctx.close();
        }
    }

    private static String localAddress(ChannelHandlerContext ctx) {
        return ctx.channel().localAddress() instanceof InetSocketAddress local && local.getAddress() != null
                ? local.getAddress().getHostAddress()
                : null;
    }

    private static ReturnT<?> answer(
            String method,
            String path,
            String rawPath,
            String given,
            String body,
            Object remote,
            byte[] token,
            AdminAuthLimit limit,
            Refusals refusals,
            ExecutorBiz executorBiz) {
        if (!"POST".equals(method)) {
            return ReturnT.ofFail("invalid request, HttpMethod not support.");
        }
        // The raw path, as sent: the decoded one turns %0D%0A into a line break, and anyone reaching this port could
        // then write lines of their own into our log before showing a token.
        if (given == null) {
            // Not a guess: nothing to count.
            refusals.log("access token missing", rawPath, remote);
            return ReturnT.ofFail(WRONG_TOKEN);
        }
        String client = client(remote);
        // Before the comparison, whatever the token: the right one refused like a wrong one tells nothing.
        AdminAuthLimit.Refusal refusal = limit.refusal(client);
        if (refusal != null) {
            refusals.log("too many wrong access tokens", rawPath, remote);
            return ReturnT.ofFail("rate limited: " + refusal.failures() + " wrong access tokens from "
                    + (refusal.allAddresses() ? "all addresses" : "this address") + ", try again in "
                    + refusal.seconds() + " s");
        }
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            limit.failed(client);
            log.warn("xxl-job executor refused {} from {}: access token wrong", rawPath, remote);
            return ReturnT.ofFail(WRONG_TOKEN);
        }
        limit.succeeded(client);
        return switch (path) {
            case "/beat" -> executorBiz.beat();
            case "/idleBeat" -> executorBiz.idleBeat(parse(path, body, IdleBeatParam.class));
            case "/run" -> run(parse(path, body, TriggerParam.class), executorBiz);
            case "/kill" -> executorBiz.kill(parse(path, body, KillParam.class));
            case "/log" -> ExecutorLogPage.readLog(parse(path, body, LogParam.class));
            default -> ReturnT.ofFail("invalid request, uri-mapping(" + path + ") not found.");
        };
    }

    /**
     * The body as the path's parameter, or refused by what it is: the parser's own messages named its classes and
     * echoed the input ({@code java.io.EOFException: End of input at line 1 column 2 path $.}).
     */
    private static <T> T parse(String path, String body, Class<T> type) {
        T param;
        try {
            param = GsonTool.fromJson(body, type);
        } catch (RuntimeException e) {
            // The parser's message quotes the body: a CR/LF in a value started a line of its own in our log.
            log.warn("xxl-job executor refused {}: malformed body ({})", path, LogSafeText.of(e.toString()));
            param = null;
        }
        if (param == null) {
            throw new InvalidBody("invalid request body: not the JSON " + path + " expects");
        }
        return param;
    }

    private static final class InvalidBody extends RuntimeException {
        InvalidBody(String message) {
            super(message, null, false, false);
        }
    }

    private static ReturnT<String> run(TriggerParam trigger, ExecutorBiz executorBiz) {
        if (trigger == null) {
            return ReturnT.ofFail("invalid request, no trigger parameter.");
        }
        if (!GlueTypeEnum.BEAN.name().equals(trigger.getGlueType())) {
            log.warn(
                    "xxl-job executor refused job {} of glue type {}: this executor runs BEAN handlers only",
                    trigger.getJobId(),
                    LogSafeText.of(trigger.getGlueType()));
            return ReturnT.ofFail(
                    "glue type " + trigger.getGlueType() + " refused: this executor runs BEAN handlers only");
        }
        return executorBiz.run(trigger);
    }

    /** The connection's address, as the admin guard counts it ({@code getRemoteAddr()}: the address, no port). */
    private static String client(Object remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }
}
