package com.groupbuy.market.config.xxljob;

import com.xxl.job.core.util.XxlJobRemotingUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Ahead of the aggregator. A request that is not a POST with the right token (compared here, in constant time) is never
 * aggregated: its head goes on, its body is dropped as it arrives and, once it has ended, the request goes on without
 * it, to be refused (and its token counted) by {@link ExecutorRequestHandler} as before. The aggregator kept up to
 * {@link BoundedAggregator#MAX_BODY} of every such body until it was complete, so anyone reaching the port could make
 * the service hold 1 MiB per open connection (Netty's direct memory, which Redis's client shares). Also closes the
 * connection once a body the aggregator refused for its size has ended (it drops that content unseen).
 * <p>
 * Nothing of what this comparison found shows before the token limit has spoken ({@link ExecutorCalls}): every head
 * reaches the aggregator, which answers {@code Expect: 100-continue} and an over-long {@code Content-Length} alike
 * whatever the token; a dropped body refused for its size when it grows past {@link BoundedAggregator#MAX_BODY}, as the
 * aggregator refuses a kept one; and the address is known to {@link OpenConnections} only once the limit admitted it.
 * Before, a right token alone got {@code 100 Continue} at once, or its over-long body refused for its size instead of
 * "rate limited", from an address locked out too: a guess was told right or wrong without being counted.
 */
final class TokenGate extends ChannelInboundHandlerAdapter {
    private final byte[] token;
    private boolean dropping;
    private long dropped;

    TokenGate(byte[] token) {
        this.token = token;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent && BoundedAggregator.refused(ctx)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpRequest request
                && !(msg instanceof HttpContent)
                && request.decoderResult().isSuccess()) {
            dropping = !admitted(request);
            dropped = 0;
        }
        if (dropping && msg instanceof HttpContent content) {
            dropped += content.content().readableBytes();
            content.release();
            if (dropped > BoundedAggregator.MAX_BODY && !BoundedAggregator.refused(ctx)) {
                BoundedAggregator.refuse(ctx);
            }
            if (content instanceof LastHttpContent) {
                dropping = false;
                ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
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
