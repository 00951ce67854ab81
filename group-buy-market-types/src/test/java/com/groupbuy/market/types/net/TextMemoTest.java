package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A kept answer is the answer recomputed: per exact text, bounded in count and in text length. */
class TextMemoTest {

    private final List<String> computed = new ArrayList<>();

    private TextMemo<String> memo(int max, int maxLength) {
        return new TextMemo<>(max, maxLength, text -> {
            computed.add(text);
            if (text == null) {
                return "none";
            }
            if (text.startsWith("throw")) {
                throw new IllegalArgumentException(text);
            }
            return text.startsWith("null") ? null : text.toUpperCase();
        });
    }

    @Test
    void aTextIsComputedOnceAndOnlyItsExactTextShares() {
        TextMemo<String> memo = memo(4, 10);

        assertThat(memo.get("a")).isEqualTo("A");
        assertThat(memo.get("a")).isEqualTo("A");
        assertThat(memo.get("A")).isEqualTo("A");
        assertThat(memo.get("a ")).isEqualTo("A ");
        assertThat(computed).containsExactly("a", "A", "a ");
        assertThat(memo.size()).isEqualTo(3);
    }

    @Test
    void nullNoAnswerAndAFailureAreComputedEveryTime() {
        TextMemo<String> memo = memo(4, 10);

        assertThat(memo.get(null)).isEqualTo("none");
        assertThat(memo.get(null)).isEqualTo("none");
        assertThat(memo.get("null-1")).isNull();
        assertThat(memo.get("null-1")).isNull();
        assertThatThrownBy(() -> memo.get("throw")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memo.get("throw")).isInstanceOf(IllegalArgumentException.class);

        assertThat(computed).hasSize(6);
        assertThat(memo.size()).isZero();
    }

    @Test
    void aTextOfTheMaximumLengthIsKeptAndALongerOneIsNot() {
        TextMemo<String> memo = memo(4, 3);

        memo.get("abc");
        memo.get("abc");
        memo.get("abcd");
        memo.get("abcd");

        assertThat(computed).containsExactly("abc", "abcd", "abcd");
        assertThat(memo.size()).isEqualTo(1);
    }

    @Test
    void pastTheBoundItStartsOver() {
        TextMemo<String> memo = memo(3, 10);
        memo.get("a");
        memo.get("b");
        memo.get("c");
        assertThat(memo.size()).isEqualTo(3);

        memo.get("d");
        assertThat(memo.size()).as("started over with d").isEqualTo(1);
        memo.get("d");
        memo.get("a");
        assertThat(computed).containsExactly("a", "b", "c", "d", "a");
    }
}
