package com.groupbuy.market.config.xxljob;

import com.xxl.job.core.biz.model.ReturnT;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;

/**
 * A body over {@link #MAX_BODY} is answered in our JSON, not Netty's bare 413. The connection is closed when the
 * rest of that body has arrived ({@link TokenGate}) or {@link #REFUSED_CLOSE_SECONDS} later, not at once:
 * closing while the caller is still sending makes the system reset the connection, and the caller loses the
 * answer (seen in CI: "header parser received no bytes").
 */
final class BoundedAggregator extends HttpObjectAggregator {

    static final int MAX_BODY = 1 << 20;
    private static final int REFUSED_CLOSE_SECONDS = 5;
    /** Set on a connection whose body was refused for its size; {@link TokenGate} closes it when that body ends. */
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("gbm.executor.refusedBody");

    BoundedAggregator() {
        super(MAX_BODY);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        refuse(ctx);
    }

    /** Whether the connection's body was refused for its size. */
    static boolean refused(ChannelHandlerContext ctx) {
        return Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get());
    }

    /** The body on {@code ctx}'s connection refused for its size: answered, closed when it ends ({@link TokenGate}). */
    static void refuse(ChannelHandlerContext ctx) {
        ctx.channel().attr(REFUSED).set(Boolean.TRUE);
        ctx.writeAndFlush(
                ExecutorReplies.response(ReturnT.ofFail("request failed: request body over " + MAX_BODY + " bytes")));
        ctx.executor().schedule(() -> ctx.channel().close(), REFUSED_CLOSE_SECONDS, TimeUnit.SECONDS);
    }
}
