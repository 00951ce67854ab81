package com.groupbuy.market.types.text;

/**
 * Text someone else chose (a partner's answer, an exception's message quoting a stored field) as it goes into a log
 * line, a task's {@code last_error} and the admin API: a CR/LF in it forged a log line of ours, an ESC drove the
 * operator's terminal. Control characters, line/paragraph separators and the backslash itself are written as a
 * backslash, {@code u} and four hex digits, so the operator still sees what was sent and can tell it from our own.
 */
public final class LogSafeText {

    private LogSafeText() {}

    /** The text with every character an operator's screen would act on written as its escape; null stays null. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c)
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || c == '\\') {
                safe.append(String.format("\\u%04x", (int) c));
            } else {
                safe.append(c);
            }
        }
        return safe.toString();
    }
}
