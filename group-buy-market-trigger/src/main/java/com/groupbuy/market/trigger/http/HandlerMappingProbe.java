package com.groupbuy.market.trigger.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Asks the request mappings what they would make of a request without dispatching it, so a filter can answer by the
 * mappings' own matching (the methods a path serves, whether its {@code Accept} is refused) instead of a copy of it.
 * The mappings see the request with attributes of its own: the probe leaves nothing (a parsed path, a parsed
 * {@code Accept} cached by a produces condition, a matched pattern) on the request that goes on. Resource and
 * welcome-page mappings are not asked: they claim every path and negotiate nothing.
 */
public final class HandlerMappingProbe {

    /** One mapping's answer: it has a handler for the request, or it refused it with this exception, or neither. */
    public record Answer(boolean handled, Exception refusal) {}

    private final Supplier<? extends Iterable<? extends HandlerMapping>> mappings;

    public HandlerMappingProbe(Supplier<? extends Iterable<? extends HandlerMapping>> mappings) {
        this.mappings = mappings;
    }

    /** Each request mapping's answer for this request, in the mappings' order. */
    public List<Answer> ask(HttpServletRequest request) {
        HttpServletRequest probe = new OwnAttributes(request);
        ServletRequestPathUtils.parseAndCache(probe);
        List<Answer> answers = new ArrayList<>();
        for (HandlerMapping mapping : mappings.get()) {
            if (!(mapping instanceof RequestMappingInfoHandlerMapping)) {
                continue;
            }
            try {
                answers.add(new Answer(mapping.getHandler(probe) != null, null));
            } catch (Exception refusal) {
                answers.add(new Answer(false, refusal));
            }
        }
        return answers;
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
}
