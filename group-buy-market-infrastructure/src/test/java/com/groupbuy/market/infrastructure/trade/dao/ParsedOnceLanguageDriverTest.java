package com.groupbuy.market.infrastructure.trade.dao;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.SqlSource;
import org.apache.ibatis.session.Configuration;
import org.junit.jupiter.api.Test;

class ParsedOnceLanguageDriverTest {

    private final Configuration configuration = new Configuration();
    private final ParsedOnceLanguageDriver driver = new ParsedOnceLanguageDriver();

    @Test
    void theSameTextIsParsedOnceAndServesEveryCallWithItsOwnValues() {
        String text = LookupSql.lookups(Map.of("keys", List.of(1, 2)));
        SqlSource first = driver.createSqlSource(configuration, text, Map.class);
        SqlSource again = driver.createSqlSource(configuration, new String(text), Map.class);

        assertThat(again).isSameAs(first);
        BoundSql bound = again.getBoundSql(Map.of("closed", 3));
        assertThat(bound.getSql()).doesNotContain("#{").contains("UNION ALL");
        assertThat(bound.getParameterMappings()).hasSize(11);
        assertThat(bound.getParameterObject()).isEqualTo(Map.of("closed", 3));
    }

    @Test
    void differentTextsOrParameterTypesAreParsedApart() {
        String two = LookupSql.lookups(Map.of("keys", List.of(1, 2)));
        String three = LookupSql.lookups(Map.of("keys", List.of(1, 2, 3)));

        SqlSource ofTwo = driver.createSqlSource(configuration, two, Map.class);
        assertThat(driver.createSqlSource(configuration, three, Map.class)).isNotSameAs(ofTwo);
        assertThat(driver.createSqlSource(configuration, two, Object.class)).isNotSameAs(ofTwo);
    }

    @Test
    void pastItsBoundATextIsParsedOnEveryCallInsteadOfKept() {
        for (int i = 0; i < ParsedOnceLanguageDriver.MAX_TEXTS; i++) {
            driver.createSqlSource(configuration, "SELECT " + i, Map.class);
        }
        String beyond = "SELECT 'beyond'";

        assertThat(driver.createSqlSource(configuration, beyond, Map.class))
                .isNotSameAs(driver.createSqlSource(configuration, beyond, Map.class));
        assertThat(driver.createSqlSource(configuration, "SELECT 0", Map.class))
                .isSameAs(driver.createSqlSource(configuration, "SELECT 0", Map.class));
    }
}
