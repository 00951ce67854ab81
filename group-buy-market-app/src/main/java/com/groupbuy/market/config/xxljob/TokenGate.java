package com.groupbuy.market.config.xxljob;

import com.xxl.job.core.util.XxlJobRemotingUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Ahead of the aggregator. A request that is not a POST with the right token (compared here, in constant time) is never
 * aggregated: its body is dropped as it arrives and, once it has ended, the request goes on without it, to be refused
 * (and its token counted) by {@link ExecutorRequestHandler} as before. The aggregator kept up to
 * {@link BoundedAggregator#MAX_BODY} of every such body until it was complete, so anyone reaching the port could make
 * the service hold 1 MiB per open connection (Netty's direct memory, which Redis's client shares). Also closes the
 * connection once a body the aggregator refused for its size has ended (it drops that content unseen).
 */
final class TokenGate extends ChannelInboundHandlerAdapter {
    private final byte[] token;
    private final OpenConnections connections;
    private HttpRequest dropping;

    TokenGate(byte[] token, OpenConnections connections) {
        this.token = token;
        this.connections = connections;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent
                && Boolean.TRUE.equals(
                        ctx.channel().attr(BoundedAggregator.REFUSED).get())) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpRequest request
                && !(msg instanceof HttpContent)
                && request.decoderResult().isSuccess()) {
            if (!admitted(request)) {
                dropping = request;
                return;
            }
            connections.known(ctx.channel());
        }
        if (dropping != null && msg instanceof HttpContent content) {
            content.release();
            if (content instanceof LastHttpContent) {
                HttpRequest head = dropping;
                dropping = null;
                ctx.fireChannelRead(new DefaultFullHttpRequest(
                        head.protocolVersion(),
                        head.method(),
                        head.uri(),
                        Unpooled.EMPTY_BUFFER,
                        head.headers(),
                        EmptyHttpHeaders.INSTANCE));
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean admitted(HttpRequest request) {
        String given = request.headers().get(XxlJobRemotingUtil.XXL_JOB_ACCESS_TOKEN);
        return HttpMethod.POST.equals(request.method())
                && given != null
                && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }
}
