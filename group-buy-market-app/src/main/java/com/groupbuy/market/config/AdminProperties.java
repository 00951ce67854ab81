package com.groupbuy.market.config;

import com.groupbuy.market.trigger.http.admin.AdminToken;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Who may use the admin API, the console and the actuator ({@code gbm.admin.*}; the actuator's switches
 * {@code protect-actuator} and {@code protect-prometheus} are read where they are used). Checked when bound: an
 * operator's name or digest that is not one, or two credentials that are one token, stop the start naming the key
 * ({@link AdminToken}). The prod profile's refusal of known tokens is {@link ProductionSecretsGuard}'s.
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.admin")
public class AdminProperties implements Validator {

    /**
     * The shared admin token, as before named operators: whoever holds it is admitted, and a switch change's audit
     * names whoever its body says. Empty: none.
     */
    private String token = "";

    /**
     * Named operators: name (lower case) to the SHA-256 hex digest of that operator's own token. A request's operator
     * is the one whose token it showed; removing an entry revokes that operator alone.
     */
    private Map<String, String> operators = new LinkedHashMap<>();

    /**
     * The shortest audit retention a start accepts: the record of who re-drove or switched what is what an incident
     * review reads weeks later, so no setting may age it out within days.
     */
    static final Duration MIN_RETENTION = Duration.ofDays(90);

    /** The audit of admin actions ({@code admin_action}). */
    private final Audit audit = new Audit();

    /** {@code gbm.admin.audit.*}. */
    @Getter
    @Setter
    public static class Audit {
        /**
         * How long a recorded admin action is kept: older rows are deleted, a few with each new one. 90 days to 10
         * years; it never deletes anything but {@code admin_action}'s own rows.
         */
        private Duration retention = Duration.ofDays(365);
    }

    /** The credentials as the admin endpoints check them. */
    public AdminToken adminToken() {
        return new AdminToken(token, operators);
    }

    @Override
    public boolean supports(Class<?> type) {
        return AdminProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        Duration retention = ((AdminProperties) target).getAudit().getRetention();
        if (retention == null
                || retention.compareTo(MIN_RETENTION) < 0
                || retention.compareTo(Duration.ofDays(3653)) > 0) {
            errors.rejectValue(
                    "audit.retention",
                    "range",
                    "gbm.admin.audit.retention must be between 90 days and 10 years (3653 days), got " + retention);
        }
        try {
            ((AdminProperties) target).adminToken();
        } catch (IllegalArgumentException e) {
            // Not rejectValue: the message would show the rejected map, and a token pasted in place of its digest.
            errors.reject("invalid", e.getMessage());
        }
    }
}
