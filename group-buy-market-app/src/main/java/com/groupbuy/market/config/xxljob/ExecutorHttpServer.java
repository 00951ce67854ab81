package com.groupbuy.market.config.xxljob;

import com.xxl.job.core.biz.ExecutorBiz;
import com.xxl.job.core.biz.model.IdleBeatParam;
import com.xxl.job.core.biz.model.KillParam;
import com.xxl.job.core.biz.model.LogParam;
import com.xxl.job.core.biz.model.LogResult;
import com.xxl.job.core.biz.model.ReturnT;
import com.xxl.job.core.biz.model.TriggerParam;
import com.xxl.job.core.glue.GlueTypeEnum;
import com.xxl.job.core.log.XxlJobFileAppender;
import com.xxl.job.core.util.GsonTool;
import com.xxl.job.core.util.XxlJobRemotingUtil;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
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
 */
@Slf4j
public final class ExecutorHttpServer implements AutoCloseable {

    private static final int MAX_BODY = 1 << 20;
    private static final int REFUSED_CLOSE_SECONDS = 5;
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("gbm.executor.refusedBody");
    static final int READ_TIMEOUT_SECONDS = 30;

    private final Channel channel;
    private final EventLoopGroup loops;
    private final ExecutorService threads;

    private ExecutorHttpServer(Channel channel, EventLoopGroup loops, ExecutorService threads) {
        this.channel = channel;
        this.loops = loops;
        this.threads = threads;
    }

    /** Binds {@code host:port} now; refuses to start when that address is taken or not ours. */
    public static ExecutorHttpServer start(String host, int port, String accessToken, ExecutorBiz executorBiz) {
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
        // Full: the event loop answers itself (slows the caller down) rather than dropping a console's call; it only
        // ever hands over complete requests, so nothing here waits on a peer.
        ExecutorService threads = new ThreadPoolExecutor(
                2,
                2,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(200),
                r -> {
                    Thread thread = new Thread(r, "xxl-job-http-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        EventLoopGroup loops = new NioEventLoopGroup(1, new DefaultThreadFactory("xxl-job-io", true));
        byte[] token = accessToken.getBytes(StandardCharsets.UTF_8);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 50)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new RefusedBodyEnd())
                                .addLast(new BoundedAggregator())
                                .addLast(new Handler(token, executorBiz, threads));
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

    /**
     * A body over {@link #MAX_BODY} is answered in our JSON, not Netty's bare 413. The connection is closed when the
     * rest of that body has arrived ({@link RefusedBodyEnd}) or {@link #REFUSED_CLOSE_SECONDS} later, not at once:
     * closing while the caller is still sending makes the system reset the connection, and the caller loses the
     * answer (seen in CI: "header parser received no bytes").
     */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator() {
            super(MAX_BODY);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            ctx.channel().attr(REFUSED).set(Boolean.TRUE);
            ctx.writeAndFlush(response(ReturnT.ofFail("request failed: request body over " + MAX_BODY + " bytes")));
            ctx.executor().schedule(() -> ctx.channel().close(), REFUSED_CLOSE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Ahead of the aggregator, which drops a refused body's content unseen: closes once that body has ended. */
    private static final class RefusedBodyEnd extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent
                    && Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get())) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final byte[] token;
        private final ExecutorBiz executorBiz;
        private final ExecutorService threads;

        Handler(byte[] token, ExecutorBiz executorBiz, ExecutorService threads) {
            this.token = token;
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
            threads.execute(() -> {
                ReturnT<?> answer;
                try {
                    answer = answer(method, path, rawPath, given, body, remote, token, executorBiz);
                } catch (InvalidBody e) {
                    answer = ReturnT.ofFail(e.getMessage());
                } catch (RuntimeException e) {
                    // The reason stays in our log: exception messages name classes and echo input.
                    log.warn("xxl-job executor request {} failed: {}", rawPath, e.toString());
                    answer = ReturnT.ofFail("request failed (the executor's log says why)");
                }
                reply(ctx, answer);
            });
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

    private static void reply(ChannelHandlerContext ctx, ReturnT<?> answer) {
        ctx.writeAndFlush(response(answer)).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse response(ReturnT<?> answer) {
        byte[] body = GsonTool.toJson(answer).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json;charset=UTF-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    private static ReturnT<?> answer(
            String method,
            String path,
            String rawPath,
            String given,
            String body,
            Object remote,
            byte[] token,
            ExecutorBiz executorBiz) {
        if (!"POST".equals(method)) {
            return ReturnT.ofFail("invalid request, HttpMethod not support.");
        }
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            // The raw path, as sent: the decoded one turns %0D%0A into a line break, and anyone reaching this port
            // could then write lines of their own into our log before showing a token.
            log.warn("xxl-job executor refused {} from {}: access token missing or wrong", rawPath, remote);
            return ReturnT.ofFail("The access token is wrong.");
        }
        return switch (path) {
            case "/beat" -> executorBiz.beat();
            case "/idleBeat" -> executorBiz.idleBeat(parse(path, body, IdleBeatParam.class));
            case "/run" -> run(parse(path, body, TriggerParam.class), executorBiz);
            case "/kill" -> executorBiz.kill(parse(path, body, KillParam.class));
            case "/log" -> readLog(parse(path, body, LogParam.class), executorBiz);
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
            log.warn("xxl-job executor refused {}: malformed body ({})", path, e.toString());
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
                    trigger.getGlueType());
            return ReturnT.ofFail(
                    "glue type " + trigger.getGlueType() + " refused: this executor runs BEAN handlers only");
        }
        return executorBiz.run(trigger);
    }

    /**
     * The library makes the day folder of whatever date {@code /log} names before looking for the file, so each
     * request with another date (year 292278994, 1970, ...) left one more folder in the log directory, far-future ones
     * never cleaned: a read must not write. A day with no folder has no log; answered as the library answers a
     * missing file (the console stops asking). Name and folder as {@code XxlJobFileAppender.makeLogFileName}.
     */
    private static ReturnT<LogResult> readLog(LogParam param, ExecutorBiz executorBiz) {
        if (param == null) {
            return ReturnT.ofFail("invalid request, no log parameter.");
        }
        String day = new SimpleDateFormat("yyyy-MM-dd").format(new Date(param.getLogDateTim()));
        if (!Files.isDirectory(Path.of(XxlJobFileAppender.getLogPath(), day))) {
            return ReturnT.ofSuccess(
                    new LogResult(param.getFromLineNum(), 0, "readLog fail, logFile not exists", true));
        }
        return executorBiz.log(param);
    }
}
