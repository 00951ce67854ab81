package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.trigger.http.HandlerMappingProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * An actuator request whose {@code Accept} names nothing the endpoint produces is served as if it had named none: the
 * endpoint's own default (health and metrics JSON, the Prometheus text format 0.0.4). Our controllers never negotiate
 * (WebEdgeConfig), but the actuator's handler mapping matches {@code Accept} against each endpoint's types itself, so
 * {@code /actuator/health} asked with {@code Accept: text/plain} or {@code text/html} (a browser), or a header that does
 * not parse, was a 406, and {@code /actuator/prometheus} asked for JSON too. A load balancer or scraper that sends an
 * odd {@code Accept} must still read UP/DOWN or the metrics. A scraper that names a format the endpoint has
 * (OpenMetrics, say) keeps its choice: only a request the mappings would refuse for its {@code Accept} loses the header.
 * <p>
 * Whether they would is asked of the handler mappings themselves ({@link HandlerMappingProbe}).
 */
public class ActuatorAcceptFilter extends OncePerRequestFilter {

    private final HandlerMappingProbe probe;

    public ActuatorAcceptFilter(Supplier<? extends Iterable<? extends HandlerMapping>> mappings) {
        this.probe = new HandlerMappingProbe(mappings);
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
        List<HandlerMappingProbe.Answer> answers = probe.ask(request);
        return answers.stream().noneMatch(HandlerMappingProbe.Answer::handled)
                && answers.stream().anyMatch(answer -> answer.refusal() instanceof HttpMediaTypeNotAcceptableException);
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
