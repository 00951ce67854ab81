package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.trigger.http.KnownFieldsOnly;
import lombok.Data;

/**
 * The body of a switch change (#17): the new {@code value}, always a JSON string (a switch's rule decides what text
 * it accepts), and the {@code operator} who asks, kept in the audit. Any other field is refused ({@code 0002}, nothing
 * stored): {@code {"Value":"true",…}} or {@code {…,"dryRun":true}} was read as no value or as a real change.
 *
 * <p>{@code expected} (optional, since 2026-12-05): the value the operator read and edited; the change is stored only
 * while the switch still has it, else {@code 0004} and nothing is stored (two operators editing one list lost one's
 * entries to the other's save). A client that leaves it out sets the value whatever it is, as before.
 */
@Data
@KnownFieldsOnly
public class SwitchChangeRequest {
    private String value;
    private String operator;
    private String expected;
}
