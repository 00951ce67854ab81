package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.domain.audit.adapter.repository.IAdminAuditRepository;
import com.groupbuy.market.domain.audit.model.valobj.AdminActionVO;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import lombok.extern.slf4j.Slf4j;

/**
 * Writes the durable record of an admin action ({@code admin_action}): who (the credential's {@link
 * AdminToken.Operator}, never a body's name), what (method, path with its ids, query string), from where, how it was
 * answered, when. Each write also deletes up to {@link #AGED_PER_WRITE} rows older than {@code retention}, and nothing
 * else. A record that cannot be written (the database unreachable) is logged at WARN in full, never thrown: the
 * action has already been answered.
 */
@Slf4j
public class AdminAudit {

    static final int MAX_PATH = 255;
    static final int MAX_QUERY = 1000;
    static final int MAX_ADDRESS = 64;
    static final int MAX_CODE = 16;
    /** Rows aged out per recorded action: a few, so that one write never deletes for long. */
    static final int AGED_PER_WRITE = 100;

    private final IAdminAuditRepository repository;
    private final Clock clock;
    private final Duration retention;

    public AdminAudit(IAdminAuditRepository repository, Clock clock, Duration retention) {
        this.repository = repository;
        this.clock = clock;
        this.retention = retention;
    }

    /** Records one answered action of {@code operator}. */
    public void record(
            AdminToken.Operator operator,
            String method,
            String path,
            String query,
            String remoteAddress,
            int httpStatus,
            String code) {
        Instant now = clock.instant();
        AdminActionVO action = new AdminActionVO(
                0,
                operator.name(),
                operator.shared(),
                cut(method, 8),
                cut(path, MAX_PATH),
                cut(query, MAX_QUERY),
                cut(remoteAddress, MAX_ADDRESS),
                httpStatus,
                cut(code, MAX_CODE),
                now);
        try {
            repository.record(action);
            repository.deleteBefore(now.minus(retention), AGED_PER_WRITE);
        } catch (RuntimeException e) {
            log.warn("admin action not recorded in admin_action ({}): {}", e.toString(), action);
        }
    }

    static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
