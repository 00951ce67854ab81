package com.groupbuy.market.config;

import com.groupbuy.market.domain.audit.adapter.repository.IAdminAuditRepository;
import com.groupbuy.market.trigger.http.admin.AdminAudit;
import com.groupbuy.market.trigger.http.admin.AdminToken;
import com.groupbuy.market.trigger.http.admin.ConsoleSessionKey;
import com.groupbuy.market.trigger.http.admin.ConsoleSessions;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin credentials ({@link AdminProperties}: the shared {@code gbm.admin.token} and the named operators of
 * {@code gbm.admin.operators.*}), one instance for every filter, interceptor and admin controller, and the console's
 * sessions bound to them.
 */
@Configuration
public class AdminOperatorsConfig {

    @Bean
    public AdminToken adminToken(AdminProperties admin) {
        return admin.adminToken();
    }

    @Bean
    public ConsoleSessions consoleSessions(
            AdminProperties admin, AdminToken adminToken, ConsoleSessionKey key, Clock clock) {
        return new ConsoleSessions(admin.getToken(), adminToken, key, clock);
    }

    /** The durable record of admin actions that change state ({@code admin_action}), aged out after the retention. */
    @Bean
    public AdminAudit adminAudit(AdminProperties admin, IAdminAuditRepository repository, Clock clock) {
        return new AdminAudit(repository, clock, admin.getAudit().getRetention());
    }
}
