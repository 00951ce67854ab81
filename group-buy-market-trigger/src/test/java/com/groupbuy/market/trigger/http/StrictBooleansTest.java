package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.TypeMismatchException;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.web.bind.WebDataBinder;

/** Boolean request values are exactly {@code true} or {@code false} ({@link StrictBooleans}). */
class StrictBooleansTest {

    /** What Spring's own reading accepted as a boolean (the first eight), and other near misses. */
    private static final List<String> REFUSED = List.of(
            "on",
            "yes",
            "1",
            "off",
            "no",
            "0",
            "TRUE",
            "False",
            " true",
            "true ",
            "t",
            "y",
            "tru",
            "truee",
            "\u0074rue\u200b",
            " ");

    /**
     * Through a binder like the one Spring MVC binds request values with (its conversion service reads {@code on},
     * {@code yes} and {@code 1} as true, {@code off}, {@code no} and {@code 0} as false, in any case): each refused
     * text is a type mismatch for both boolean types, and an empty one is "not given".
     */
    @Test
    void aBinderWithTheEditorsTakesOnlyTrueAndFalse() {
        WebDataBinder lenient = new WebDataBinder(null);
        lenient.setConversionService(new DefaultFormattingConversionService());
        assertThat(lenient.convertIfNecessary("on", boolean.class)).isEqualTo(true);
        assertThat(lenient.convertIfNecessary("1", Boolean.class)).isEqualTo(true);

        WebDataBinder binder = new WebDataBinder(null);
        binder.setConversionService(new DefaultFormattingConversionService());
        StrictBooleans.register(binder);

        assertThat(binder.convertIfNecessary("true", boolean.class)).isEqualTo(true);
        assertThat(binder.convertIfNecessary("false", boolean.class)).isEqualTo(false);
        assertThat(binder.convertIfNecessary("true", Boolean.class)).isEqualTo(true);
        assertThat(binder.convertIfNecessary("false", Boolean.class)).isEqualTo(false);
        assertThat(binder.convertIfNecessary("", Boolean.class)).isNull();
        for (Class<?> type : List.of(boolean.class, Boolean.class)) {
            for (String text : REFUSED) {
                assertThatThrownBy(() -> binder.convertIfNecessary(text, type))
                        .as("[%s] as %s", text, type)
                        .isInstanceOf(TypeMismatchException.class);
            }
        }
        assertThatThrownBy(() -> binder.convertIfNecessary(new String[] {"true", "false"}, Boolean.class))
                .isInstanceOf(TypeMismatchException.class);
    }

    @Test
    void theEditorPrintsWhatItHoldsAsItReadsIt() {
        WebDataBinder binder = new WebDataBinder(null);
        StrictBooleans.register(binder);
        for (Class<?> type : List.of(boolean.class, Boolean.class)) {
            java.beans.PropertyEditor editor = binder.findCustomEditor(type, null);
            assertThat(editor.getAsText()).as("%s", type).isEmpty();
            editor.setAsText("false");
            assertThat(editor.getValue()).isEqualTo(false);
            assertThat(editor.getAsText()).isEqualTo("false");
        }
    }
}
