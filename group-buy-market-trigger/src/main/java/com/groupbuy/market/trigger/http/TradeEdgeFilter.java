package com.groupbuy.market.trigger.http;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.RefundMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderRequestDTO;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.trigger.http.metrics.TradeRequestMeter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * The partner trade calls (lock, settlement, refund: {@code POST} of a JSON body) served without Spring MVC's dispatch
 * (#19). Profiles of the lock and settlement paths put the machinery between our filters and the controller — handler
 * mapping, the handler adapter, argument resolution, the body read through the converter list, content negotiation
 * and return-value handling, and the filters behind this one — at about a third of the app's CPU samples, more than
 * the domain's own work. Here each request runs exactly the steps that decide its answer, with the same parts:
 * <ol>
 *   <li>the body read by the same {@link StrictJsonReader}, between the same {@link PartnerSignatureCheck}'s
 *       {@code beforeBodyRead} and {@code check} (its {@code afterBodyRead}, given the request's client address:
 *       Spring's request context is not set yet here), a missing body refused as Spring refuses it;</li>
 *   <li>the same {@link MarketTradeController} method;</li>
 *   <li>the envelope written with the application's ObjectMapper (the writer Spring's Jackson converter uses), as
 *       {@code application/json} with its {@code Content-Length} when that converter sets one, flushed as it
 *       flushes;</li>
 *   <li>any failure handed to the application's {@link HandlerExceptionResolver}s in the DispatcherServlet's order
 *       (the outage resolver, then {@link GlobalExceptionHandler} through Spring's own exception-handler resolver),
 *       so every refusal is Spring's answer byte for byte;</li>
 *   <li>{@link TradeRequestMeter} around it all, as the interceptor runs on Spring's path.</li>
 * </ol>
 * Only a request whose answer cannot depend on anything skipped comes here: {@code POST} to exactly one of the three
 * paths (no path parameters, no encoded characters, no context path) with {@code Content-Type: application/json},
 * without parameters or with {@code charset=UTF-8}. Anything else (another method, another content type or none, a
 * path Tomcat normalised) goes on down the chain to Spring, as do all other paths; {@link ContentTypeCheckFilter}
 * and {@link UnservedMethodFilter} run before this one. The controller keeps its mappings, so the OpenAPI description
 * and Spring's path for those requests are unchanged. {@code TradeEdgeFilterIT} sends a table of hostile requests
 * down both paths and compares the answers.
 */
public class TradeEdgeFilter extends HttpFilter {

    public static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    public static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    public static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";

    private static final Set<String> PATHS = Set.of(LOCK, SETTLE, REFUND);
    /** The only request headers the body read and the signature check look at. */
    private static final List<String> SIGNATURE_HEADERS =
            List.of("webhook-id", "webhook-timestamp", "webhook-signature");
    /** What Spring's converters see for such a request: the servlet's UTF-8 request encoding added to the type. */
    private static final MediaType JSON_UTF8 = new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8);

    private final Supplier<Map<String, Endpoint<?>>> endpoints;
    private final StrictJsonReader reader;
    private final ObjectWriter writer;
    private final Supplier<PartnerSignatureCheck> signatureCheck;
    private final Supplier<TradeRequestMeter> meter;
    private final Supplier<List<HandlerExceptionResolver>> resolvers;
    private volatile boolean enabled;

    /**
     * Collaborators are beans looked up on the first request: the filter is made while the web server starts, before
     * the controller and its domain services exist.
     *
     * @param writer the application ObjectMapper's writer, the one Spring's Jackson converter writes answers with
     * @param resolvers every {@link HandlerExceptionResolver} bean, in the order the DispatcherServlet asks them
     */
    public TradeEdgeFilter(
            boolean enabled,
            StrictJsonReader reader,
            ObjectWriter writer,
            Supplier<MarketTradeController> controller,
            Supplier<PartnerSignatureCheck> signatureCheck,
            Supplier<TradeRequestMeter> meter,
            Supplier<List<HandlerExceptionResolver>> resolvers) {
        this.enabled = enabled;
        this.reader = reader;
        this.writer = writer;
        this.endpoints = SingletonSupplier.of(() -> endpoints(controller.get()));
        this.signatureCheck = SingletonSupplier.of(signatureCheck);
        this.meter = SingletonSupplier.of(meter);
        this.resolvers = SingletonSupplier.of(resolvers);
    }

    /** The paths to register this filter on. */
    public static String[] paths() {
        return new String[] {LOCK, SETTLE, REFUND};
    }

    /** Off: every request takes Spring's path (gbm.http.lean-trade-edge=false; the side-by-side test). */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        if (!enabled
                || !"POST".equals(request.getMethod())
                || !PATHS.contains(path)
                || !plainJson(request.getContentType())) {
            chain.doFilter(request, response);
            return;
        }
        TradeRequestEvent event = new TradeRequestEvent();
        event.begin();
        try {
            serve(endpoints.get().get(path), request, response);
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.path = path;
                event.commit();
            }
        }
    }

    /** {@code application/json}, bare or with {@code charset=UTF-8} and nothing else: read as Spring reads it. */
    static boolean plainJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        if (MediaType.APPLICATION_JSON_VALUE.equals(contentType)) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return "application".equals(type.getType())
                    && "json".equals(type.getSubtype())
                    && (type.getParameters().isEmpty()
                            || (type.getParameters().size() == 1 && StandardCharsets.UTF_8.equals(type.getCharset())));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private <T> void serve(Endpoint<T> endpoint, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        TradeRequestMeter timing = meter.get();
        timing.preHandle(request, response, endpoint.handler());
        Exception failure = null;
        try {
            Response<?> answer = endpoint.call().apply(readBody(endpoint, request));
            writeAnswer(answer, request, response);
        } catch (Exception e) {
            failure = e;
        } catch (Error e) {
            // As DispatcherServlet.doDispatch wraps an Error before the resolvers see it.
            failure = new ServletException("Handler dispatch failed: " + e, e);
        }
        if (failure != null) {
            resolve(failure, endpoint.handler(), request, response);
        }
        timing.afterCompletion(request, response, endpoint.handler(), null);
    }

    /** Spring's read of a required {@code @RequestBody} (AbstractMessageConverterMethodArgumentResolver), unrolled. */
    private <T> T readBody(Endpoint<T> endpoint, HttpServletRequest request) throws IOException {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(JSON_UTF8);
        for (String name : SIGNATURE_HEADERS) {
            Enumeration<String> values = request.getHeaders(name);
            while (values != null && values.hasMoreElements()) {
                headers.add(name, values.nextElement());
            }
        }
        Class<T> type = endpoint.body();
        MethodParameter parameter = endpoint.handler().getMethodParameters()[0];
        PartnerSignatureCheck signatures = signatureCheck.get();
        Body message = null;
        Object body;
        try {
            StrictJsonReader.refuseDeclaredTooLarge(type, JSON_UTF8.toString(), request.getContentLengthLong());
            message = new Body(headers, request.getInputStream());
            if (!message.hasBody()) {
                body = null;
            } else {
                HttpInputMessage toRead = signatures.beforeBodyRead(message, parameter, type, StrictJsonReader.class);
                body = reader.read(type, MarketTradeController.class, toRead);
                body = signatures.check(body, toRead, request.getRemoteAddr());
            }
        } catch (IOException e) {
            throw new HttpMessageNotReadableException("I/O error while reading input message", e, message);
        }
        if (body == null) {
            throw new HttpMessageNotReadableException(
                    "Required request body is missing: "
                            + endpoint.handler().getMethod().toGenericString(),
                    message);
        }
        return type.cast(body);
    }

    /**
     * What Spring's Jackson converter ({@link SizedJsonWriter}) writes for a controller's {@code Response}, framed as
     * it frames it, and what TradeCodeAdvice notes.
     */
    private void writeAnswer(Response<?> answer, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        TradeRequestMeter.noteCode(request, answer.getCode());
        byte[] json = writer.writeValueAsBytes(answer);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        SizedJsonWriter.frame(response, json.length);
        ServletOutputStream out = response.getOutputStream();
        out.write(json);
        out.flush();
    }

    /** DispatcherServlet.processHandlerException: the resolvers in order, the first answer wins. */
    private void resolve(
            Exception failure, HandlerMethod handler, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        try {
            response.setHeader(HttpHeaders.CONTENT_TYPE, null);
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, null);
            response.resetBuffer();
        } catch (IllegalStateException e) {
            // Committed already: left to the resolvers, as Spring leaves it.
        }
        for (HandlerExceptionResolver resolver : resolvers.get()) {
            ModelAndView answered = resolver.resolveException(request, response, handler, failure);
            if (answered != null) {
                // Ours all answer by writing the response (an empty ModelAndView); none names a view to render.
                request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, failure);
                return;
            }
        }
        meter.get().afterCompletion(request, response, handler, failure);
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof ServletException servlet) {
            throw servlet;
        }
        throw new ServletException("Request processing failed: " + failure, failure);
    }

    private static Map<String, Endpoint<?>> endpoints(MarketTradeController controller) {
        return Map.of(
                LOCK,
                new Endpoint<>(
                        LockMarketPayOrderRequestDTO.class,
                        controller::lockMarketPayOrder,
                        handler(controller, "lockMarketPayOrder", LockMarketPayOrderRequestDTO.class)),
                SETTLE,
                new Endpoint<>(
                        SettlementMarketPayOrderRequestDTO.class,
                        controller::settlementMarketPayOrder,
                        handler(controller, "settlementMarketPayOrder", SettlementMarketPayOrderRequestDTO.class)),
                REFUND,
                new Endpoint<>(
                        RefundMarketPayOrderRequestDTO.class,
                        controller::refundMarketPayOrder,
                        handler(controller, "refundMarketPayOrder", RefundMarketPayOrderRequestDTO.class)));
    }

    /** The handler Spring would have mapped: what the resolvers and the meter are told ran. */
    private static HandlerMethod handler(MarketTradeController controller, String name, Class<?> body) {
        try {
            return new HandlerMethod(controller, MarketTradeController.class.getMethod(name, body));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One trade call: its body type, the controller method, and that method as Spring's handler. */
    private record Endpoint<T>(Class<T> body, Function<T, Response<?>> call, HandlerMethod handler) {}

    /** The request body with Spring's empty-body check (EmptyBodyCheckingHttpInputMessage on a servlet stream). */
    private static final class Body implements HttpInputMessage {

        private final HttpHeaders headers;
        private final PushbackInputStream body;

        Body(HttpHeaders headers, InputStream body) {
            this.headers = headers;
            this.body = new PushbackInputStream(body);
        }

        boolean hasBody() throws IOException {
            int first = body.read();
            if (first == -1) {
                return false;
            }
            body.unread(first);
            return true;
        }

        @Override
        public InputStream getBody() {
            return body;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }
}
