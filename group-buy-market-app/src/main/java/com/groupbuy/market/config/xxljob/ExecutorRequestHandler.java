package com.groupbuy.market.config.xxljob;

import com.groupbuy.market.trigger.http.AllowedHosts;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import com.groupbuy.market.types.text.LogSafeText;
import com.xxl.job.core.biz.model.ReturnT;
import com.xxl.job.core.util.XxlJobRemotingUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last of a connection's handlers: a complete request whose {@code Host} is one of ours goes to the pool, where
 * {@link ExecutorCalls} answers it; the event loop itself only refuses (Host not served, pool full) and writes.
 */
final class ExecutorRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    // Logged under the endpoint's logger, as it always was: operators filter on that name.
    private static final Logger log = LoggerFactory.getLogger(ExecutorHttpServer.class);

    static final String HOST_REFUSED =
            "request refused: this executor does not answer to the name in Host (call the address it registered)";

    static final String BUSY = "the executor is busy (too many requests waiting), try again later";

    private final ExecutorCalls calls;
    private final Refusals refusals;
    private final ExecutorService threads;
    private final AllowedHosts hosts;
    private final OpenConnections connections;

    ExecutorRequestHandler(
            ExecutorCalls calls,
            Refusals refusals,
            ExecutorService threads,
            AllowedHosts hosts,
            OpenConnections connections) {
        this.hosts = hosts;
        this.connections = connections;
        this.calls = calls;
        this.refusals = refusals;
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
                answer = calls.answer(
                        method, path, rawPath, given, body, remote, () -> connections.known(ctx.channel()));
            } catch (ExecutorCalls.InvalidBody e) {
                answer = ReturnT.ofFail(e.getMessage());
            } catch (DependencyUnavailableException e) {
                log.warn("xxl-job executor request {} refused: {}", rawPath, e.getMessage());
                answer = ReturnT.ofFail(
                        "the executor cannot check access tokens now (Redis unavailable), try again later");
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
            log.debug("xxl-job executor connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private static String localAddress(ChannelHandlerContext ctx) {
        return ctx.channel().localAddress() instanceof InetSocketAddress local && local.getAddress() != null
                ? local.getAddress().getHostAddress()
                : null;
    }
}
