package com.groupbuy.market.config.xxljob;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 */
@Slf4j
public final class ExecutorHttpServer implements AutoCloseable {

    private static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService threads;

    private ExecutorHttpServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Binds {@code host:port} now; refuses to start when that address is taken or not ours. */
    public static ExecutorHttpServer start(String host, int port, String accessToken, ExecutorBiz executorBiz) {
        if (accessToken == null || accessToken.isBlank()) {
            throw new IllegalStateException("the XXL-Job executor needs an access token");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 50);
        } catch (BindException e) {
            throw new IllegalStateException(
                    "XXL-Job executor cannot listen on " + host + ":" + port + " (" + e.getMessage()
                            + "): another process - a second instance? - holds it. Each instance needs its own executor "
                            + "address: set xxl.job.executor.port (XXL_JOB_EXECUTOR_PORT), or 0 for a free port",
                    e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "XXL-Job executor cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        // Full: the accepting thread answers itself (slows the caller down) rather than dropping a console's call.
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
        server.setExecutor(threads);
        byte[] token = accessToken.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> handle(exchange, token, executorBiz));
        server.start();
        return new ExecutorHttpServer(server, threads);
    }

    /** The address actually bound (the port the system chose when asked for 0). */
    public InetSocketAddress boundAddress() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void handle(HttpExchange exchange, byte[] token, ExecutorBiz executorBiz) throws IOException {
        try {
            ReturnT<?> answer;
            try {
                answer = answer(exchange, token, executorBiz);
            } catch (RuntimeException e) {
                log.warn(
                        "xxl-job executor request {} failed: {}",
                        exchange.getRequestURI().getPath(),
                        e.toString());
                answer = ReturnT.ofFail("request failed: " + e.getMessage());
            }
            byte[] body = GsonTool.toJson(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    private static ReturnT<?> answer(HttpExchange exchange, byte[] token, ExecutorBiz executorBiz) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            return ReturnT.ofFail("invalid request, HttpMethod not support.");
        }
        String given = exchange.getRequestHeaders().getFirst(XxlJobRemotingUtil.XXL_JOB_ACCESS_TOKEN);
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            log.warn(
                    "xxl-job executor refused {} from {}: access token missing or wrong",
                    exchange.getRequestURI().getPath(),
                    exchange.getRemoteAddress());
            return ReturnT.ofFail("The access token is wrong.");
        }
        String body = readBody(exchange.getRequestBody());
        return switch (exchange.getRequestURI().getPath()) {
            case "/beat" -> executorBiz.beat();
            case "/idleBeat" -> executorBiz.idleBeat(GsonTool.fromJson(body, IdleBeatParam.class));
            case "/run" -> run(GsonTool.fromJson(body, TriggerParam.class), executorBiz);
            case "/kill" -> executorBiz.kill(GsonTool.fromJson(body, KillParam.class));
            case "/log" -> readLog(GsonTool.fromJson(body, LogParam.class), executorBiz);
            default ->
                ReturnT.ofFail("invalid request, uri-mapping("
                        + exchange.getRequestURI().getPath() + ") not found.");
        };
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

    private static String readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new IllegalArgumentException("request body over " + MAX_BODY + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
