package com.groupbuy.market.domain.activity.service.discount;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The pay price of a goods under a discount plan. One rounding rule for all plans: amounts are computed exactly and
 * rounded once, HALF_UP to cents. The pay price is clamped to [0.01, original], so the deduction is never negative
 * and nothing is ever sold for free. A number is ASCII (spaces around it ignored); any other script's digits, an empty
 * MJ part or more than two are malformed ({@code E0001}).
 * <ul>
 *   <li>ZJ "20": 20.00 off.</li>
 *   <li>MJ "100,10": 10.00 off when the original price is at least 100.00.</li>
 *   <li>ZK "0.8": pay 80% (the original truncated this to whole yuan; we keep the cents).</li>
 *   <li>N "1.99": pay 1.99 (no discount when that is above the original).</li>
 * </ul>
 */
public final class PriceCalculator {

    static final BigDecimal MIN_PAY = new BigDecimal("0.01");

    /**
     * The most decimal places, or powers of ten in exponent notation, a configured number may have. The column holds
     * 32 characters, so a number written out never needs more; "1E+99999999" does, and aligning it with a price
     * costs minutes of CPU (BigDecimal writes its hundred million digits), so it is malformed rather than computed.
     */
    static final int MAX_SCALE = 32;

    private PriceCalculator() {}

    public static BigDecimal payPrice(String plan, String expression, BigDecimal originalPrice) {
        BigDecimal original = originalPrice.setScale(2, RoundingMode.HALF_UP);
        BigDecimal pay = switch (plan == null ? "" : plan) {
            case "ZJ" -> original.subtract(nonNegative(expression, plan));
            case "MJ" -> fullReduction(expression, original);
            case "ZK" -> original.multiply(rate(expression));
            case "N" -> nonNegative(expression, plan);
            default -> throw new AppException(ResponseCode.E0001, "no discount calculator for plan '" + plan + "'");
        };
        return clamp(pay.setScale(2, RoundingMode.HALF_UP), original);
    }

    private static BigDecimal fullReduction(String expression, BigDecimal original) {
        // -1 keeps trailing empty parts: "100,10," is three parts, malformed, not "100,10" with a comma ignored.
        String[] parts = expression == null ? new String[0] : expression.split(",", -1);
        if (parts.length != 2) {
            throw malformed("MJ", expression);
        }
        BigDecimal threshold = nonNegative(parts[0], "MJ");
        BigDecimal reduction = nonNegative(parts[1], "MJ");
        return original.compareTo(threshold) >= 0 ? original.subtract(reduction) : original;
    }

    private static BigDecimal rate(String expression) {
        BigDecimal rate = nonNegative(expression, "ZK");
        if (rate.signum() == 0 || rate.compareTo(BigDecimal.ONE) > 0) {
            throw malformed("ZK", expression);
        }
        return rate;
    }

    private static BigDecimal nonNegative(String text, String plan) {
        try {
            String number = text.trim();
            if (!number.chars().allMatch(c -> c < 0x80)) {
                // BigDecimal reads any script's digits (full-width, Arabic-Indic) as 0-9: an expression must mean to
                // the system what it shows the operator, so only ASCII is a number (as the edge reads trade times).
                throw malformed(plan, text);
            }
            BigDecimal value = new BigDecimal(number);
            if (value.signum() < 0 || Math.abs(value.scale()) > MAX_SCALE) {
                throw malformed(plan, text);
            }
            return value;
        } catch (NumberFormatException | NullPointerException e) {
            throw malformed(plan, text);
        }
    }

    private static BigDecimal clamp(BigDecimal pay, BigDecimal original) {
        if (pay.compareTo(original) > 0) {
            return original;
        }
        return pay.compareTo(MIN_PAY) < 0 ? MIN_PAY.min(original) : pay;
    }

    private static AppException malformed(String plan, String expression) {
        return new AppException(
                ResponseCode.E0001, "discount expression '" + expression + "' is malformed for plan " + plan);
    }
}
