package com.groupbuy.market.domain.support;

import java.time.Duration;

/**
 * Bounds of the jobs' page sizes and run budgets, checked at start naming the setting. A page is one query or one
 * transaction beside live trades, and a budget how long a run holds its job thread (and, under the console's
 * SERIAL_EXECUTION, every trigger behind it): a zero or negative budget made every run do nothing and report
 * success, a huge page or budget (a slipped unit: {@code 50m} for 50 s) held locks or the thread for long.
 */
public final class JobLimits {

    public static final int MAX_PAGE = 10_000;
    public static final Duration MAX_BUDGET = Duration.ofMinutes(10);

    private JobLimits() {}

    public static int page(String setting, int value) {
        if (value < 1 || value > MAX_PAGE) {
            throw new IllegalArgumentException(setting + " must be 1.." + MAX_PAGE + ", was " + value);
        }
        return value;
    }

    public static Duration budget(String setting, Duration value) {
        if (value == null || value.isZero() || value.isNegative() || value.compareTo(MAX_BUDGET) > 0) {
            throw new IllegalArgumentException(
                    setting + " must be more than 0 and at most " + MAX_BUDGET.toMinutes() + " min, was " + value);
        }
        return value;
    }
}
