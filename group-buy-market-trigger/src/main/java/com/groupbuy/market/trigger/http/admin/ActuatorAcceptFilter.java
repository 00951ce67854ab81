package com.groupbuy.market.trigger.http.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * An actuator request whose {@code Accept} names nothing the endpoint produces is served as if it had named none: the
 * endpoint's own default (health and metrics JSON, the Prometheus text format 0.0.4). Our controllers never negotiate
 * (WebEdgeConfig), but the actuator's handler mapping matches {@code Accept} against each endpoint's types itself, so
 * {@code /actuator/health} asked with {@code Accept: text/plain} or {@code text/html} (a browser), or a header that does
 * not parse, was a 406, and {@code /actuator/prometheus} asked for JSON too. A load balancer or scraper that sends an
 * odd {@code Accept} must still read UP/DOWN or the metrics. A scraper that names a format the endpoint has
 * (OpenMetrics, say) keeps its choice: only a request the mappings would refuse for its {@code Accept} loses the header.
 * <p>
 * Whether they would is asked of the handler mappings themselves (as {@code UnservedMethodFilter} does), on a copy of
 * the request whose attributes are its own, so the probe leaves nothing (a parsed {@code Accept} cached by the
 * produces condition, a matched pattern) on the request that goes on.
 */
public class ActuatorAcceptFilter extends OncePerRequestFilter {

    private final Supplier<? extends Iterable<? extends HandlerMapping>> mappings;

    public ActuatorAcceptFilter(Supplier<? extends Iterable<? extends HandlerMapping>> mappings) {
        this.mappings = mappings;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader(HttpHeaders.ACCEPT) != null && refusedForItsAccept(request)) {
            chain.doFilter(new WithoutAccept(request), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** True when a mapping knows the request but refuses its {@code Accept}, and no mapping would serve it as it is. */
    private boolean refusedForItsAccept(HttpServletRequest request) {
        HttpServletRequest probe = new OwnAttributes(request);
        ServletRequestPathUtils.parseAndCache(probe);
        boolean refused = false;
        for (HandlerMapping mapping : mappings.get()) {
            if (!(mapping instanceof RequestMappingInfoHandlerMapping)) {
                continue; // resource mappings claim every path and negotiate nothing
            }
            try {
                if (mapping.getHandler(probe) != null) {
                    return false;
                }
            } catch (HttpMediaTypeNotAcceptableException e) {
                refused = true;
            } catch (Exception e) {
                // Refused for another reason (method, content type): left to the real dispatch to answer.
            }
        }
        return refused;
    }

    /** The request with attributes of its own: reads fall through to the request's, writes stay here. */
    private static final class OwnAttributes extends HttpServletRequestWrapper {

        private final Map<String, Object> written = new HashMap<>();
        private final Set<String> removed = new HashSet<>();

        OwnAttributes(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Object getAttribute(String name) {
            if (written.containsKey(name)) {
                return written.get(name);
            }
            return removed.contains(name) ? null : super.getAttribute(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                removeAttribute(name);
                return;
            }
            written.put(name, value);
            removed.remove(name);
        }

        @Override
        public void removeAttribute(String name) {
            written.remove(name);
            removed.add(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            Set<String> names = new HashSet<>(Collections.list(super.getAttributeNames()));
            names.removeAll(removed);
            names.addAll(written.keySet());
            return Collections.enumeration(names);
        }
    }

    /** The request as if it had sent no {@code Accept} (any type, the endpoint's default). */
    private static final class WithoutAccept extends HttpServletRequestWrapper {

        WithoutAccept(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return isAccept(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isAccept(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !isAccept(name))
                    .toList());
        }

        private static boolean isAccept(String name) {
            return HttpHeaders.ACCEPT.equalsIgnoreCase(name);
        }
    }
}
