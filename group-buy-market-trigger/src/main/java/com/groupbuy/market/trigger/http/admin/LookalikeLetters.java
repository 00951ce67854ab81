package com.groupbuy.market.trigger.http.admin;

import java.util.Map;

/**
 * Letters of the Cyrillic, Greek and Armenian scripts (and Latin's dotless i, script a and script g) drawn like a Latin
 * letter, each mapped to that letter in lower case: the single-letter prototypes of Unicode's confusables (UTS #39)
 * for {@code a-z}. NFKC keeps them as themselves, so without this a Cyrillic o made a name that reads as a named
 * operator's. Operator names are {@code a-z 0-9 . _ -} ({@link AdminToken}), so Latin is the only script they are read
 * against.
 */
final class LookalikeLetters {

    private static final Map<Integer, Character> AS_LATIN = Map.ofEntries(
            // a
            Map.entry(0x0430, 'a'),
            Map.entry(0x0410, 'a'),
            Map.entry(0x03B1, 'a'),
            Map.entry(0x0391, 'a'),
            Map.entry(0x0251, 'a'),
            // b: Cyrillic and Greek capitals, and the soft sign
            Map.entry(0x0412, 'b'),
            Map.entry(0x0392, 'b'),
            Map.entry(0x042C, 'b'),
            Map.entry(0x044C, 'b'),
            // c
            Map.entry(0x0441, 'c'),
            Map.entry(0x0421, 'c'),
            Map.entry(0x03F2, 'c'),
            Map.entry(0x03F9, 'c'),
            // d
            Map.entry(0x0501, 'd'),
            // e
            Map.entry(0x0435, 'e'),
            Map.entry(0x0415, 'e'),
            Map.entry(0x0395, 'e'),
            Map.entry(0x04BD, 'e'),
            // g
            Map.entry(0x0261, 'g'),
            Map.entry(0x0581, 'g'),
            // h
            Map.entry(0x04BB, 'h'),
            Map.entry(0x04BA, 'h'),
            Map.entry(0x041D, 'h'),
            Map.entry(0x0397, 'h'),
            // i
            Map.entry(0x0456, 'i'),
            Map.entry(0x0406, 'i'),
            Map.entry(0x03B9, 'i'),
            Map.entry(0x0399, 'i'),
            Map.entry(0x0131, 'i'),
            // j
            Map.entry(0x0458, 'j'),
            Map.entry(0x0408, 'j'),
            Map.entry(0x03F3, 'j'),
            // k
            Map.entry(0x041A, 'k'),
            Map.entry(0x039A, 'k'),
            Map.entry(0x03BA, 'k'),
            // l: the palochka
            Map.entry(0x04CF, 'l'),
            Map.entry(0x04C0, 'l'),
            // m
            Map.entry(0x041C, 'm'),
            Map.entry(0x039C, 'm'),
            // n
            Map.entry(0x039D, 'n'),
            Map.entry(0x0578, 'n'),
            // o
            Map.entry(0x043E, 'o'),
            Map.entry(0x041E, 'o'),
            Map.entry(0x03BF, 'o'),
            Map.entry(0x039F, 'o'),
            Map.entry(0x0585, 'o'),
            // p
            Map.entry(0x0440, 'p'),
            Map.entry(0x0420, 'p'),
            Map.entry(0x03C1, 'p'),
            Map.entry(0x03A1, 'p'),
            // q
            Map.entry(0x051B, 'q'),
            // s
            Map.entry(0x0455, 's'),
            Map.entry(0x0405, 's'),
            // t
            Map.entry(0x0422, 't'),
            Map.entry(0x03A4, 't'),
            // u
            Map.entry(0x03C5, 'u'),
            Map.entry(0x057D, 'u'),
            // v
            Map.entry(0x03BD, 'v'),
            Map.entry(0x0475, 'v'),
            // w
            Map.entry(0x051D, 'w'),
            Map.entry(0x051C, 'w'),
            Map.entry(0x0461, 'w'),
            // x
            Map.entry(0x0445, 'x'),
            Map.entry(0x0425, 'x'),
            Map.entry(0x03C7, 'x'),
            Map.entry(0x03A7, 'x'),
            // y
            Map.entry(0x0443, 'y'),
            Map.entry(0x0423, 'y'),
            Map.entry(0x03A5, 'y'),
            Map.entry(0x03B3, 'y'),
            // z
            Map.entry(0x0396, 'z'));

    private LookalikeLetters() {}

    /** {@code text} with each lookalike letter replaced by the Latin one it is drawn as; every other character kept. */
    static String asLatin(String text) {
        StringBuilder read = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            Character latin = AS_LATIN.get(c);
            if (latin != null) {
                read.append(latin.charValue());
            } else {
                read.appendCodePoint(c);
            }
        });
        return read.toString();
    }
}
