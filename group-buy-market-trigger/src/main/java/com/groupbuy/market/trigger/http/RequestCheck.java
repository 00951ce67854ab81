package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/**
 * Field checks shared by the controllers; each failure names the field, as partners show it to their buyer.
 * Identifiers are compared byte for byte downstream, so text that would not survive storage unchanged (control
 * characters, a UTF-16 surrogate without its pair, Unicode non-characters) is refused here rather than stored as
 * {@code ?}, so is text that would show otherwise than stored (line separators, text-direction marks), and text is
 * never trimmed: {@code "u1 "} is another id than {@code "u1"}, as it is in every table.
 */
final class RequestCheck {

    private RequestCheck() {}

    /**
     * A required text field, as sent (spaces included): refused when missing, blank, too long or holding a character
     * we cannot store as sent.
     */
    static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw illegal(field + " is required");
        }
        if (value.length() > maxLength) {
            throw illegal(field + " is longer than " + maxLength + " characters");
        }
        storable(field, value);
        return value;
    }

    /**
     * An optional text field: null when absent, empty or only ASCII spaces (the original platform's malls send spaces
     * for "none"), otherwise checked like {@link #text}. Other white space alone (a tab, an ideographic space) is
     * refused as such, not read as "none" and not as a missing required field: it is neither an id nor its absence.
     */
    static String optionalText(String field, String value, int maxLength) {
        if (value == null || value.chars().allMatch(c -> c == ' ')) {
            return null;
        }
        if (value.isBlank()) {
            throw illegal(field + " holds only white space: leave it out or send it empty");
        }
        return text(field, value, maxLength);
    }

    /** Refuses text holding a character we cannot store or compare as sent (see {@link #refusedCharacter}). */
    static void storable(String field, String value) {
        String refused = refusedCharacter(value);
        if (refused != null) {
            throw illegal(field + " contains " + refused);
        }
    }

    static void present(String field, Object value) {
        if (value == null) {
            throw illegal(field + " is required");
        }
    }

    static AppException illegal(String what) {
        return new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + what);
    }

    /** What is wrong with the first character we refuse, or null when every character is storable text. */
    static String refusedCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                if (isNonCharacter(codePoint)) {
                    return "a Unicode non-character at position " + (i - 1);
                }
                continue;
            }
            if (Character.isSurrogate(c)) {
                return "an unpaired UTF-16 surrogate at position " + i;
            }
            if (Character.isISOControl(c)) {
                return "a control character at position " + i;
            }
            if (isNonCharacter(c)) {
                return "a Unicode non-character at position " + i;
            }
            if (isLineOrDirectionMark(c)) {
                return "a line separator or text-direction mark at position " + i;
            }
        }
        return null;
    }

    /**
     * U+2028/U+2029 end a line in many log viewers and editors, and the bidirectional marks and overrides reorder the
     * text shown around them: an id holding one could make a log line or an operator's screen show another order than
     * the one stored. No identifier needs them.
     */
    private static boolean isLineOrDirectionMark(char c) {
        return c == '\u2028'
                || c == '\u2029'
                || c == '\u061C'
                || c == '\u200E'
                || c == '\u200F'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    private static boolean isNonCharacter(int codePoint) {
        return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }
}
