package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.AppException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The deliver-now filter's field names are read the same on every host: they were lower-cased in the JVM's default
 * locale, and on a Turkish host {@code PRIORITY=1} was refused as an unknown field {@code prıorıty} (dotless i), a name
 * the operator never wrote.
 */
class DeliverNowParamLocaleTest {

    @Test
    void aFieldNameIsLowerCasedAsOnEveryHost() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));

            assertThatThrownBy(() -> DeliverNowParam.parse("PRIORITY=1"))
                    .isInstanceOf(AppException.class)
                    .hasMessageContaining("priority: unknown filter field");
            assertThatThrownBy(() -> DeliverNowParam.parse("HOST=a.example,HOST=b.example"))
                    .hasMessageContaining("host: given more than once");
        } finally {
            Locale.setDefault(before);
        }
    }
}
