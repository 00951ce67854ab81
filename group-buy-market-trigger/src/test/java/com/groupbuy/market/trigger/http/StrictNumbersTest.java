package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.TypeMismatchException;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.web.bind.WebDataBinder;

/** Numeric request values are exactly decimal numbers ({@link StrictNumbers}). */
class StrictNumbersTest {

    /** What Spring's own reading accepted and read as another number, or a number at all. */
    private static final List<String> REFUSED = List.of(
            "1 2",
            " 5",
            "5 ",
            "1\t2",
            "1\u00a02",
            "0x10",
            "0X10",
            "#10",
            "-0x10",
            "+5",
            "-0",
            "-",
            "007",
            "00",
            "-01",
            "\u0663",
            "1\u0663",
            "\uff11",
            "1e3",
            "1.0",
            "1_000",
            "1,2",
            "abc",
            " ",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999");

    @Test
    void onlyPlainDecimalNumbersAreRead() {
        assertThat(StrictNumbers.parse("0", Long.MIN_VALUE, Long.MAX_VALUE)).isZero();
        assertThat(StrictNumbers.parse("12", Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(12);
        assertThat(StrictNumbers.parse("-7", Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(-7);
        assertThat(StrictNumbers.parse("9223372036854775807", Long.MIN_VALUE, Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(StrictNumbers.parse("-9223372036854775808", Long.MIN_VALUE, Long.MAX_VALUE))
                .isEqualTo(Long.MIN_VALUE);
        for (String text : REFUSED) {
            assertThatThrownBy(() -> StrictNumbers.parse(text, Long.MIN_VALUE, Long.MAX_VALUE))
                    .as("[%s]", text)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> StrictNumbers.parse("2147483648", Integer.MIN_VALUE, Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Through a binder like the one Spring MVC binds request values with (its conversion service reads numbers
     * leniently, and a refusal there falls back to the default, also lenient, editor): a refused text is a type
     * mismatch for every numeric type we bind, and an empty one is "not given".
     */
    @Test
    void aBinderWithTheEditorsRefusesWhatSpringReadLeniently() {
        WebDataBinder binder = new WebDataBinder(null);
        binder.setConversionService(new DefaultFormattingConversionService());
        StrictNumbers.register(binder);

        assertThat(binder.convertIfNecessary("12", long.class)).isEqualTo(12L);
        assertThat(binder.convertIfNecessary("-3", Long.class)).isEqualTo(-3L);
        assertThat(binder.convertIfNecessary("50", int.class)).isEqualTo(50);
        assertThat(binder.convertIfNecessary("3", Integer.class)).isEqualTo(3);
        assertThat(binder.convertIfNecessary("", Integer.class)).isNull();
        for (Class<?> type : List.of(long.class, Long.class, int.class, Integer.class)) {
            for (String text : REFUSED) {
                assertThatThrownBy(() -> binder.convertIfNecessary(text, type))
                        .as("[%s] as %s", text, type)
                        .isInstanceOf(TypeMismatchException.class);
            }
        }
        assertThatThrownBy(() -> binder.convertIfNecessary("2147483648", int.class))
                .isInstanceOf(TypeMismatchException.class);
        assertThatThrownBy(() -> binder.convertIfNecessary(new String[] {"1", "2"}, long.class))
                .isInstanceOf(TypeMismatchException.class);
    }

    @Test
    void anEmptyTextIsRefusedAsNotANumber() {
        assertThatThrownBy(() -> StrictNumbers.parse("", Long.MIN_VALUE, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a decimal number");
    }

    /** Each editor gives its own type, and prints what it holds as it reads it (nothing held: empty). */
    @Test
    void theEditorsGiveTheirOwnTypeAndPrintItBack() {
        WebDataBinder binder = new WebDataBinder(null);
        StrictNumbers.register(binder);
        for (Class<?> type : List.of(int.class, Integer.class, long.class, Long.class)) {
            java.beans.PropertyEditor editor = binder.findCustomEditor(type, null);
            assertThat(editor.getAsText()).as("%s", type).isEmpty();
            editor.setAsText("-42");
            assertThat(editor.getValue())
                    .as("%s", type)
                    .isInstanceOf(type == int.class || type == Integer.class ? Integer.class : Long.class);
            assertThat(editor.getAsText()).isEqualTo("-42");
        }
    }

    /** Every controller's binder gets the strict editors, numbers and booleans alike. */
    @Test
    void everyControllersBinderIsStrict() {
        WebDataBinder binder = new WebDataBinder(null);
        binder.setConversionService(new DefaultFormattingConversionService());
        new StrictRequestValues().strictValues(binder);

        assertThatThrownBy(() -> binder.convertIfNecessary("0x10", long.class))
                .isInstanceOf(TypeMismatchException.class);
        assertThatThrownBy(() -> binder.convertIfNecessary("on", boolean.class))
                .isInstanceOf(TypeMismatchException.class);
    }
}
