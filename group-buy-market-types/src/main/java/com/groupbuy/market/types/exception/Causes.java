package com.groupbuy.market.types.exception;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A failure and its causes, walked once each. {@link Throwable#initCause} refuses only a throwable as its own cause, so
 * a chain can loop back (A caused by B caused by A: two libraries wrapping each other's failure); a walk that stops at
 * {@code getCause() == null} or at a self-cause then never ends, and the thread that classifies the failure — a request
 * thread, the outbox worker — spins for good. Every walk along a chain goes through here.
 */
public final class Causes {

    private Causes() {}

    /** {@code failure} and its causes, outermost first, each once: a chain that loops back ends before it repeats. */
    public static List<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The innermost cause (the last before a loop back), or {@code failure} itself when it has none. */
    public static Throwable root(Throwable failure) {
        List<Throwable> chain = of(failure);
        return chain.get(chain.size() - 1);
    }

    /** The innermost cause as a log names it: its simple class name and message. */
    public static String rootMessage(Throwable failure) {
        Throwable root = root(failure);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
