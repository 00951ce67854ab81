package com.groupbuy.market.domain.activity.service.discount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.groupbuy.market.types.exception.AppException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceCalculatorTest {

    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource(
            delimiter = ';',
            value = {
                // direct reduction
                "ZJ; 20; 100.00; 80.00",
                "ZJ; 0.5; 10.00; 9.50",
                "ZJ; 100; 100.00; 0.01", // deduction equal to the price: never free
                "ZJ; 250; 100.00; 0.01", // deduction above the price
                // full reduction: the threshold is inclusive
                "MJ; 100,10; 100.00; 90.00",
                "MJ; 100,10; 99.99; 99.99",
                "MJ; 100,10; 100.01; 90.01",
                "MJ; 10,10; 10.00; 0.01",
                // percentage: cents are kept and rounded HALF_UP once (the original truncated to whole yuan)
                "ZK; 0.8; 100.00; 80.00",
                "ZK; 0.85; 99.99; 84.99", // 84.9915
                "ZK; 0.85; 99.97; 84.97", // 84.9745
                "ZK; 0.333; 0.05; 0.02", // 0.01665
                "ZK; 0.001; 1.00; 0.01", // would be 0.00
                "ZK; 1; 12.34; 12.34",
                // fixed price
                "N; 1.99; 100.00; 1.99",
                "N; 150; 100.00; 100.00", // above the original: no discount, never a negative deduction
                "N; 0; 100.00; 0.01",
            })
    void payPriceFollowsThePlan(String plan, String expression, String original, String expected) {
        BigDecimal pay = PriceCalculator.payPrice(plan, expression, new BigDecimal(original));

        assertThat(pay).isEqualByComparingTo(expected);
        assertThat(pay.scale()).isEqualTo(2);
        assertThat(new BigDecimal(original).subtract(pay).signum()).isNotNegative();
    }

    @ParameterizedTest(name = "{0} ''{1}'' is malformed")
    @CsvSource(
            delimiter = ';',
            value = {
                "ZJ; abc",
                "ZJ; -5",
                "ZJ; ''",
                "MJ; 100",
                "MJ; 100,10,1",
                "MJ; 100,x",
                "MJ; -1,10",
                "ZK; 0",
                "ZK; 1.2",
                "ZK; -0.5",
                "ZK; eighty",
                "N; -1",
                "N; ''",
            })
    void malformedExpressionIsRefusedWithE0001(String plan, String expression) {
        assertThatThrownBy(() -> PriceCalculator.payPrice(plan, expression, new BigDecimal("100.00")))
                .isInstanceOfSatisfying(AppException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("E0001");
                    assertThat(e.getInfo()).contains("malformed");
                });
    }

    /**
     * An expression in exponent notation fits the 32-character column yet names a number of a hundred million
     * digits: on main "1E+99999999" took ~96 s of CPU for one price (BigDecimal aligns the scales digit by digit), on
     * every trial and lock until the row was fixed. Such a number is malformed, refused at once.
     */
    /** The most decimal places or powers of ten a number may have ({@link PriceCalculator#MAX_SCALE}) are priced. */
    @ParameterizedTest(name = "{0} ''{1}'' on 100.00 -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "ZJ; 0.00000000000000000000000000000001; 100.00",
                "ZJ; 1E-32; 100.00",
                "N; 1E+32; 100.00",
            })
    void anExpressionAtTheLargestScaleIsPriced(String plan, String expression, String expected) {
        assertThat(PriceCalculator.payPrice(plan, expression, new BigDecimal("100.00")))
                .isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0} ''{1}'' is malformed and refused at once")
    @CsvSource(
            delimiter = ';',
            value = {
                "ZJ; 1E+99999999",
                "ZJ; 1E-99999999",
                "MJ; 1E-99999999,1E+99999999",
                "ZK; 1E-99999999",
                "N; 1E+99999999",
                "N; 1E-99999999",
            })
    void anExpressionOfAbsurdMagnitudeIsMalformedNotAMinuteOfCpu(String plan, String expression) {
        assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () -> assertThatThrownBy(() -> PriceCalculator.payPrice(plan, expression, new BigDecimal("100.00")))
                        .isInstanceOfSatisfying(AppException.class, e -> {
                            assertThat(e.getCode()).isEqualTo("E0001");
                            assertThat(e.getInfo()).contains("malformed");
                        }));
    }

    /**
     * An expression is read as the operator's screen shows it, or refused. On main {@code BigDecimal} took any
     * script's digits: full-width 20 (U+FF12 U+FF10) and Arabic-Indic 20 (U+0662 U+0660) priced as 20 off, and "2"
     * followed by a full-width 0 too, while a full-width point was malformed; and MJ "100,10," with a trailing comma
     * (or more) was read as "100,10", its empty third part dropped by {@code split}. Each is E0001.
     */
    @ParameterizedTest(name = "{0} ''{1}'' is malformed")
    @CsvSource(
            delimiter = ';',
            value = {
                "ZJ; \uFF12\uFF10",
                "ZJ; \u0662\u0660",
                "ZJ; 2\uFF10",
                "N; \uFF11.99",
                "ZK; 0.\uFF18",
                "MJ; 100,\uFF11\uFF10",
                "MJ; '100,10,'",
                "MJ; '100,10,,'",
            })
    void anExpressionOfOtherDigitsOrAnEmptyPartIsMalformed(String plan, String expression) {
        assertThatThrownBy(() -> PriceCalculator.payPrice(plan, expression, new BigDecimal("100.00")))
                .isInstanceOfSatisfying(AppException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("E0001");
                    assertThat(e.getInfo()).contains("malformed");
                });
    }

    /** Spaces an operator typed around a number or a part change nothing: " 20 " and "100, 10" still price. */
    @ParameterizedTest(name = "{0} ''{1}'' on 100.00 -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {"ZJ; ' 20 '; 80.00", "MJ; '100, 10'; 90.00", "ZK; ' 0.8'; 80.00", "N; '1.99 '; 1.99"})
    void spacesAroundANumberAreNotPartOfIt(String plan, String expression, String expected) {
        assertThat(PriceCalculator.payPrice(plan, expression, new BigDecimal("100.00")))
                .isEqualByComparingTo(expected);
    }

    @Test
    void unknownPlanIsRefusedWithE0001() {
        assertThatThrownBy(() -> PriceCalculator.payPrice("XX", "1", new BigDecimal("100.00")))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo("E0001"));
    }

    @Test
    void nullExpressionIsMalformedNotANullPointer() {
        assertThatThrownBy(() -> PriceCalculator.payPrice("ZJ", null, new BigDecimal("100.00")))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo("E0001"));
    }
}
