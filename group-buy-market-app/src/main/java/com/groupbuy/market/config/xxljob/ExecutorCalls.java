package com.groupbuy.market.config.xxljob;

import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.groupbuy.market.types.text.LogSafeText;
import com.xxl.job.core.biz.ExecutorBiz;
import com.xxl.job.core.biz.model.IdleBeatParam;
import com.xxl.job.core.biz.model.KillParam;
import com.xxl.job.core.biz.model.LogParam;
import com.xxl.job.core.biz.model.ReturnT;
import com.xxl.job.core.biz.model.TriggerParam;
import com.xxl.job.core.glue.GlueTypeEnum;
import com.xxl.job.core.util.GsonTool;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A console call's answer, on a pool thread: its token checked against the limit of wrong ones, then the call made on
 * the library's {@link ExecutorBiz} ({@code /log} read by {@link ExecutorLogPage}, {@code /run} of BEAN handlers only).
 */
final class ExecutorCalls {

    // Logged under the endpoint's logger, as it always was: operators filter on that name.
    private static final Logger log = LoggerFactory.getLogger(ExecutorHttpServer.class);

    static final String WRONG_TOKEN = "The access token is wrong.";

    private final byte[] token;
    private final AdminAuthLimit limit;
    private final Refusals refusals;
    private final ExecutorBiz executorBiz;

    ExecutorCalls(byte[] token, AdminAuthLimit limit, Refusals refusals, ExecutorBiz executorBiz) {
        this.token = token;
        this.limit = limit;
        this.refusals = refusals;
        this.executorBiz = executorBiz;
    }

    /** {@code known} runs once the limit admitted the request's token: its address is known to the connections. */
    ReturnT<?> answer(
            String method, String path, String rawPath, String given, String body, Object remote, Runnable known) {
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
        // Compared first (in memory, constant time), then the limit speaks before anything is told: the right token
        // refused like a wrong one tells nothing. A wrong one is checked and counted in one step, so tokens sent at
        // once are told "wrong" no more often than tokens sent one by one; the right one is only checked, so the
        // console's beats and triggers sent at once are never counted against it.
        boolean right = MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
        AdminAuthLimit.Refusal refusal = right ? limit.refusal(client) : limit.failure(client);
        if (refusal != null) {
            refusals.log("too many wrong access tokens", rawPath, remote);
            return ReturnT.ofFail("rate limited: " + refusal.failures() + " wrong access tokens from "
                    + (refusal.allAddresses() ? "all addresses" : "this address") + ", try again in "
                    + refusal.seconds() + " s");
        }
        if (!right) {
            log.warn("xxl-job executor refused {} from {}: access token wrong", rawPath, remote);
            return ReturnT.ofFail(WRONG_TOKEN);
        }
        limit.succeeded(client);
        known.run();
        return switch (path) {
            case "/beat" -> executorBiz.beat();
            case "/idleBeat" -> executorBiz.idleBeat(parse(path, body, IdleBeatParam.class));
            case "/run" -> run(parse(path, body, TriggerParam.class));
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

    static final class InvalidBody extends RuntimeException {
        InvalidBody(String message) {
            super(message, null, false, false);
        }
    }

    private ReturnT<String> run(TriggerParam trigger) {
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
