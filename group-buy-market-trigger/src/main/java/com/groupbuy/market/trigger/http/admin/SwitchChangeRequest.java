package com.groupbuy.market.trigger.http.admin;

import lombok.Data;

/**
 * The body of a switch change (#17): the new {@code value}, always a JSON string (a switch's rule decides what text
 * it accepts), and the {@code operator} who asks, kept in the audit.
 */
@Data
public class SwitchChangeRequest {
    private String value;
    private String operator;
}
