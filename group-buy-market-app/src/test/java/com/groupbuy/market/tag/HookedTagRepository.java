package com.groupbuy.market.tag;

import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real crowd-tag repository with something done once before one of its calls: a test's way to make an import run
 * meet an event (a Redis restart, another run) at a chosen point of its pages, over the real tables.
 */
final class HookedTagRepository {

    /** Which call the hook goes before: the method's name and, for {@code queryMembers}, the row id it pages after. */
    interface When {
        boolean test(String method, long afterId);
    }

    interface Hook {
        void run() throws Exception;
    }

    private HookedTagRepository() {}

    /** {@code real}, running {@code hook} once, before the first call {@code when} picks; {@code ran} says it did. */
    static ICrowdTagRepository hooked(ICrowdTagRepository real, When when, Hook hook, AtomicBoolean ran) {
        return (ICrowdTagRepository) Proxy.newProxyInstance(
                ICrowdTagRepository.class.getClassLoader(),
                new Class<?>[] {ICrowdTagRepository.class},
                (proxy, method, args) -> {
                    long afterId = method.getName().equals("queryMembers") ? (long) args[1] : -1;
                    if (!ran.get() && when.test(method.getName(), afterId)) {
                        ran.set(true);
                        hook.run();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
