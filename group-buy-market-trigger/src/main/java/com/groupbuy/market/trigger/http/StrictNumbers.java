package com.groupbuy.market.trigger.http;

import java.beans.PropertyEditorSupport;
import org.springframework.beans.PropertyEditorRegistry;

/**
 * Numeric query parameters, path variables and headers ({@code long}/{@code Long}, {@code int}/{@code Integer}) are
 * read strictly: only the decimal form a number prints as ({@code 0}, {@code 42}, {@code -7}). Spring's own reading
 * (NumberUtils) dropped every whitespace and read hex, so {@code tasks/1%202/redrive} re-drove task 12 and
 * {@code 0x10} or {@code #10} acted on 16; {@code +5}, {@code -0}, leading zeros and non-ASCII digits (Arabic-Indic
 * {@code ٣}) passed too. Anything else is a type mismatch, answered as every wrong type is (0002 naming the
 * parameter, see {@link GlobalExceptionHandler}) before the handler runs, so nothing acts. An empty value stays "not
 * given" (a default applies, or null), as before.
 *
 * <p>Custom editors, not converters: when a conversion-service converter refuses, Spring's binder falls back to its
 * default (lenient) number editor; a custom editor is asked alone. Put on every controller's binder by {@link
 * StrictRequestValues}.
 */
public final class StrictNumbers {

    private StrictNumbers() {}

    /** Puts the strict editors for {@code long}, {@code Long}, {@code int} and {@code Integer} on this registry. */
    public static void register(PropertyEditorRegistry registry) {
        registry.registerCustomEditor(long.class, new Editor(false));
        registry.registerCustomEditor(Long.class, new Editor(false));
        registry.registerCustomEditor(int.class, new Editor(true));
        registry.registerCustomEditor(Integer.class, new Editor(true));
    }

    /**
     * The value of {@code text} if it is exactly a decimal number in {@code [min, max]}: an optional {@code -} then
     * ASCII digits, no leading zero, no {@code -0}; else IllegalArgumentException (which Spring reports as a type
     * mismatch).
     */
    public static long parse(String text, long min, long max) {
        int length = text.length();
        int start = length > 0 && text.charAt(0) == '-' ? 1 : 0;
        // 19 digits is Long's widest; more can only overflow (and would be slow to carry along).
        boolean shaped = length > start && length - start <= 19;
        for (int i = start; shaped && i < length; i++) {
            char c = text.charAt(i);
            shaped = c >= '0' && c <= '9';
        }
        if (!shaped || (text.charAt(start) == '0' && length > start + 1) || text.equals("-0")) {
            throw new IllegalArgumentException("not a decimal number");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("out of range");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static final class Editor extends PropertyEditorSupport {

        /** An {@code int} (else a {@code long}). */
        private final boolean integer;

        Editor(boolean integer) {
            this.integer = integer;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                setValue(null);
                return;
            }
            long value = integer
                    ? parse(text, Integer.MIN_VALUE, Integer.MAX_VALUE)
                    : parse(text, Long.MIN_VALUE, Long.MAX_VALUE);
            setValue(integer ? (Object) (int) value : (Object) value);
        }

        @Override
        public String getAsText() {
            Object value = getValue();
            return value == null ? "" : value.toString();
        }
    }
}
