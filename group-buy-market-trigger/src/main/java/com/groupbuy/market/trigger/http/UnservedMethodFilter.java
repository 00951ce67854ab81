package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Answers {@code OPTIONS} and {@code TRACE} with our envelope: 405 and {@code 0002}, with the path's methods in
 * {@code Allow}, or 404 for a path nobody serves. Left to the framework, {@code OPTIONS} is a 200 with an empty body
 * and {@code TRACE} Tomcat's bodiless 405 (or, once dispatched, an echo of the request's headers), none of which a
 * partner decoding {@code {code, info, data}} can read. No endpoint of ours serves either method, and no browser
 * calls us cross-origin, so there is no preflight to answer.
 * <p>
 * The request never reaches a servlet. The methods a path serves come from the handler mappings themselves: each is
 * asked for a handler of the same path under {@code TRACE}, which none maps, so a mapping that knows the path refuses
 * it with the methods it does serve.
 */
public class UnservedMethodFilter extends OncePerRequestFilter {

    private static final Set<String> UNSERVED = Set.of(HttpMethod.OPTIONS.name(), HttpMethod.TRACE.name());

    private final HandlerMappingProbe probe;

    public UnservedMethodFilter(Supplier<? extends Iterable<? extends HandlerMapping>> mappings) {
        this.probe = new HandlerMappingProbe(mappings);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!UNSERVED.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        Set<String> allowed = servedMethods(request);
        if (allowed.isEmpty()) {
            answer(response, HttpServletResponse.SC_NOT_FOUND, "no such path");
            return;
        }
        response.setHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
        answer(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method " + request.getMethod() + " not allowed");
    }

    /** What the request's path serves, by the mappings' own matching; empty when no mapping knows the path. */
    private Set<String> servedMethods(HttpServletRequest request) {
        HttpServletRequest asTrace = new HttpServletRequestWrapper(request) {
            @Override
            public String getMethod() {
                return HttpMethod.TRACE.name();
            }
        };
        Set<String> allowed = new TreeSet<>();
        for (HandlerMappingProbe.Answer answer : probe.ask(asTrace)) {
            if (answer.refusal() instanceof HttpRequestMethodNotSupportedException e) {
                e.getSupportedHttpMethods().forEach(method -> allowed.add(method.name()));
            }
        }
        return allowed;
    }

    private static void answer(HttpServletResponse response, int status, String info) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream()
                .write(Envelope.json(ResponseCode.ILLEGAL_PARAMETER.getCode(), info)
                        .getBytes(StandardCharsets.UTF_8));
    }
}
