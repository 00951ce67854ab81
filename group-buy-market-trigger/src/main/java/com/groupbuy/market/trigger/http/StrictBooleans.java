package com.groupbuy.market.trigger.http;

import java.beans.PropertyEditorSupport;
import org.springframework.beans.PropertyEditorRegistry;

/**
 * Boolean query parameters, path variables and headers ({@code boolean}/{@code Boolean}) are read strictly: only
 * {@code true} and {@code false}, as a boolean prints (and as JSON writes it). Spring's own reading took {@code on},
 * {@code yes}, {@code 1} and their opposites in any case, so {@code deliver-now?all=on} or {@code all=1} moved every
 * waiting retry, and {@code all=no} (meant as anything but "no") listed a default filter. Anything else is a type
 * mismatch, answered as every wrong type is (0002 naming the parameter, see {@link GlobalExceptionHandler}) before the
 * handler runs, so nothing acts. An empty value stays "not given" (a default applies, or null), as for numbers
 * ({@link StrictNumbers}, whose editors these sit beside for the same reason: a custom editor is asked alone). Put on
 * every controller's binder by {@link StrictRequestValues}.
 */
public final class StrictBooleans {

    private StrictBooleans() {}

    /** Puts the strict editors for {@code boolean} and {@code Boolean} on this registry. */
    public static void register(PropertyEditorRegistry registry) {
        registry.registerCustomEditor(boolean.class, new Editor());
        registry.registerCustomEditor(Boolean.class, new Editor());
    }

    /** {@code text} if it is exactly {@code true} or {@code false}; else IllegalArgumentException. */
    public static boolean parse(String text) {
        if ("true".equals(text)) {
            return true;
        }
        if ("false".equals(text)) {
            return false;
        }
        throw new IllegalArgumentException("not true or false");
    }

    private static final class Editor extends PropertyEditorSupport {

        @Override
        public void setAsText(String text) {
            setValue(text == null || text.isEmpty() ? null : parse(text));
        }

        @Override
        public String getAsText() {
            Object value = getValue();
            return value == null ? "" : value.toString();
        }
    }
}
