package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.trigger.http.KnownFieldsOnly;
import lombok.Data;

/**
 * The body of a switch change (#17): the new {@code value}, always a JSON string (a switch's rule decides what text
 * it accepts), and the {@code operator} who asks, kept in the audit. Any other field is refused ({@code 0002}, nothing
 * stored): {@code {"Value":"true",…}} or {@code {…,"dryRun":true}} was read as no value or as a real change.
 */
@Data
@KnownFieldsOnly
public class SwitchChangeRequest {
    private String value;
    private String operator;
}
