package com.groupbuy.market.config.xxljob;

import com.xxl.job.core.biz.model.ReturnT;
import com.xxl.job.core.util.GsonTool;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The executor's answers on the wire: the library's {@code ReturnT} as JSON, the connection closed after. */
final class ExecutorReplies {

    private ExecutorReplies() {}

    static void reply(ChannelHandlerContext ctx, ReturnT<?> answer) {
        ctx.writeAndFlush(response(answer)).addListener(ChannelFutureListener.CLOSE);
    }

    static FullHttpResponse response(ReturnT<?> answer) {
        byte[] body = GsonTool.toJson(answer).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json;charset=UTF-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
