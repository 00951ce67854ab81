package com.groupbuy.market.config;

import com.groupbuy.market.config.outage.OutageProperties;
import com.groupbuy.market.trigger.http.admin.AdminActionParameters;
import com.groupbuy.market.trigger.http.admin.AdminAudit;
import com.groupbuy.market.trigger.http.admin.AdminAuditInterceptor;
import com.groupbuy.market.trigger.http.admin.AdminAuthGuardFilter;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.groupbuy.market.trigger.http.admin.AdminToken;
import com.groupbuy.market.trigger.http.admin.AdminTokenInterceptor;
import com.groupbuy.market.trigger.http.admin.ConsoleSessionFilter;
import com.groupbuy.market.trigger.http.admin.ConsoleSessions;
import com.groupbuy.market.trigger.http.admin.ConsoleSignOuts;
import com.groupbuy.market.trigger.http.admin.ResponseHeadersFilter;
import com.groupbuy.market.types.progress.InMemoryProgressBoard;
import com.groupbuy.market.types.progress.ProgressBoard;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operators' console (#18): its session cookie admits a browser to the admin API, and long work (imports,
 * bulk re-drives) reports progress on a board the console reads.
 */
@Configuration
public class ConsoleConfig implements WebMvcConfigurer {

    private final AdminToken adminToken;
    private final AdminAudit adminAudit;

    /**
     * {@code adminAudit} lazily: this configuration's filters are made while the web server starts, before MyBatis may
     * load its mappers (the audit's repository needs them).
     */
    public ConsoleConfig(AdminToken adminToken, @Lazy AdminAudit adminAudit) {
        this.adminToken = adminToken;
        this.adminAudit = adminAudit;
    }

    /**
     * The admin API refuses a caller without the token before a handler binds its parameters or reads its body (403
     * whatever it sent). The console's login and logout ({@code console/session}) are for callers without it. Then an
     * action that changes state refuses a parameter its handler does not declare, or one given twice ({@link
     * AdminActionParameters}); signing in and out are left out: they act on no order or callback, and refusing a
     * sign-out over a stray parameter would keep its session alive. Every admitted action that changes state is
     * recorded with its operator before that check and before it runs, and refused when it cannot be; its outcome is
     * filled in after it answered ({@link AdminAuditInterceptor}), a stray parameter's refusal included.
     */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdminTokenInterceptor(adminToken))
                .addPathPatterns("/api/v1/gbm/admin/**")
                .excludePathPatterns("/api/v1/gbm/admin/console/session");
        registry.addInterceptor(new AdminAuditInterceptor(adminAudit))
                .addPathPatterns("/api/v1/gbm/admin/**")
                .excludePathPatterns("/api/v1/gbm/admin/console/session");
        registry.addInterceptor(new AdminActionParameters())
                .addPathPatterns("/api/v1/gbm/admin/**")
                .excludePathPatterns("/api/v1/gbm/admin/console/session");
    }

    /** The console's pages are plain files under {@code static/console/} of the trigger module. */
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/index.html");
        registry.addRedirectViewController("/console/", "/console/index.html");
    }

    /**
     * The console's files, from {@code static/console/} and nowhere else: Boot's static handlers are off
     * ({@code spring.web.resources.add-mappings: false}), which served every jar's {@code static/}, {@code public/},
     * {@code resources/} and {@code META-INF/resources/} at {@code /**}, and every webjar at {@code /webjars/**}.
     */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/**").addResourceLocations("classpath:/static/console/");
    }

    /** The console's pages: their own scripts only, never framed, cached or named in a referrer. */
    @Bean
    public FilterRegistrationBean<ResponseHeadersFilter> consolePageHeaders() {
        FilterRegistrationBean<ResponseHeadersFilter> registration =
                new FilterRegistrationBean<>(new ResponseHeadersFilter(ResponseHeadersFilter.CONSOLE_PAGES));
        registration.addUrlPatterns("/console/*");
        return registration;
    }

    /**
     * The admin API's and the actuator's answers (partners' data, callback errors, health details): not cached, not
     * sniffed, not framed. They had none of these headers, so a browser could keep the console's listings on disk
     * after its operator signed out.
     */
    @Bean
    public FilterRegistrationBean<ResponseHeadersFilter> adminAnswerHeaders() {
        FilterRegistrationBean<ResponseHeadersFilter> registration =
                new FilterRegistrationBean<>(new ResponseHeadersFilter(ResponseHeadersFilter.ADMIN_ANSWERS));
        registration.addUrlPatterns("/api/v1/gbm/admin/*", "/actuator", "/actuator/*");
        // First, so the answers of filters that refuse on their own (the actuator's token check) carry them too.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The last 100 pieces of long work this instance ran. */
    @Bean
    public ProgressBoard progressBoard(Clock clock) {
        return new InMemoryProgressBoard(100, clock);
    }

    /**
     * A signed-out console cookie stands for nothing ({@link ConsoleSignOuts}). After {@link #adminAuthGuard}: the
     * token it stands for is not taken for a guess.
     */
    @Bean
    public FilterRegistrationBean<ConsoleSessionFilter> consoleSessionFilter(
            AdminProperties admin, ConsoleSessions sessions, ConsoleSignOuts signOuts, OutageProperties outage) {
        FilterRegistrationBean<ConsoleSessionFilter> registration =
                new FilterRegistrationBean<>(new ConsoleSessionFilter(
                        admin.getToken(),
                        sessions,
                        signOuts,
                        outage.getRetryAfter().toSeconds()));
        registration.addUrlPatterns("/api/v1/gbm/admin/*");
        return registration;
    }

    /**
     * Guesses of {@code X-Admin-Token} at the admin API and the actuator are limited ({@link AdminAuthLimit}): right
     * after the headers filter, so its refusals carry them, and before every filter that reads the token (the
     * actuator's, the console session's). Not on the partners' paths.
     */
    @Bean
    public FilterRegistrationBean<AdminAuthGuardFilter> adminAuthGuard(AdminAuthLimit limit, OutageProperties outage) {
        FilterRegistrationBean<AdminAuthGuardFilter> registration =
                new FilterRegistrationBean<>(new AdminAuthGuardFilter(
                        adminToken, limit, outage.getRetryAfter().toSeconds()));
        registration.addUrlPatterns("/api/v1/gbm/admin/*", "/actuator", "/actuator/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
