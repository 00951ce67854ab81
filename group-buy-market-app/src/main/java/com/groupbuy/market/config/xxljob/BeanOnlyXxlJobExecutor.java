package com.groupbuy.market.config.xxljob;

import com.groupbuy.market.trigger.http.AllowedHosts;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.groupbuy.market.trigger.job.JobConsole;
import com.xxl.job.core.biz.AdminBiz;
import com.xxl.job.core.biz.impl.ExecutorBizImpl;
import com.xxl.job.core.executor.XxlJobExecutor;
import com.xxl.job.core.handler.annotation.XxlJob;
import com.xxl.job.core.log.XxlJobFileAppender;
import com.xxl.job.core.thread.TriggerCallbackThread;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The XXL-Job executor with our own endpoint ({@link ExecutorHttpServer}) and registration
 * ({@link ExecutorRegistration}) in place of the library's: the job handlers, job threads, job logs and the
 * callbacks of finished runs to the console stay the library's. Started once every singleton exists, so a port in
 * use or an address that is not ours stops the start-up with the reason.
 */
@Slf4j
public class BeanOnlyXxlJobExecutor extends XxlJobExecutor
        implements ApplicationContextAware, SmartInitializingSingleton, DisposableBean, JobConsole {

    private final ExecutorSettings settings;
    private final AdminAuthLimit tokenLimit;
    private ApplicationContext context;
    private ExecutorHttpServer server;
    private ExecutorRegistration registration;
    private ExecutorLogRetention logRetention;

    /** {@code tokenLimit} counts wrong access tokens presented to the endpoint (the app's is in Redis). */
    public BeanOnlyXxlJobExecutor(ExecutorSettings settings, AdminAuthLimit tokenLimit) {
        this.settings = settings;
        this.tokenLimit = tokenLimit;
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void afterSingletonsInstantiated() {
        start();
    }

    /**
     * The endpoint (bound before this returns), the job handlers, the console clients, the library's threads, then
     * registration: the console learns of us only once everything can answer it.
     */
    @Override
    public void start() {
        XxlJobFileAppender.initLogPath(settings.logPath());
        // Bound first: an address in use stops the start before any of the library's threads run.
        server = ExecutorHttpServer.start(
                settings.ip(),
                settings.port(),
                settings.accessToken(),
                tokenLimit,
                new ExecutorBizImpl(),
                settings.maxConnections(),
                addressHost());
        String address = registeredAddress(server.boundAddress());
        registerHandlers();
        initConsoles();
        // Ours, not the library's JobLogFileCleanThread: that one deleted every folder of the log path whose name
        // began with a date, whatever it held (ExecutorLogRetention).
        logRetention = new ExecutorLogRetention(
                Path.of(XxlJobFileAppender.getLogPath()), settings.logRetentionDays(), Clock.systemDefaultZone());
        logRetention.start();
        clearStopFlag(TriggerCallbackThread.getInstance()).start();
        registration = new ExecutorRegistration(
                settings.hasConsole() ? getAdminBizList() : null,
                settings.appname(),
                address,
                settings.registryInterval());
        registration.start();
        log.info(
                "xxl-job executor {} listening on {} (registers as {}; BEAN handlers only)",
                settings.appname(),
                server.boundAddress(),
                address);
    }

    /** A console drives our jobs while it accepts our registration; the local schedulers run them otherwise. */
    @Override
    public boolean drivesJobs() {
        return registration != null && registration.drivesJobs();
    }

    public ExecutorRegistration registration() {
        return registration;
    }

    public InetSocketAddress boundAddress() {
        return server.boundAddress();
    }

    @Override
    public void destroy() {
        if (server == null) {
            // Never bound, so nothing of the library was started: its JVM-wide handlers and threads are not ours.
            return;
        }
        if (registration != null) {
            registration.stop();
        }
        if (logRetention != null) {
            logRetention.stop();
        }
        server.close();
        super.destroy();
        setConsoleClients(null);
    }

    /** The host of {@code xxl.job.executor.address}, the name the console calls us by (none when unset). */
    private List<String> addressHost() {
        if (settings.address() == null || settings.address().isBlank()) {
            return List.of();
        }
        String authority = settings.address().trim();
        int scheme = authority.indexOf("://");
        if (scheme >= 0) {
            authority = authority.substring(scheme + 3);
        }
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            authority = authority.substring(0, slash);
        }
        String host = AllowedHosts.withoutPort(authority.substring(authority.lastIndexOf('@') + 1));
        return host.isEmpty() ? List.of() : List.of(host);
    }

    private String registeredAddress(InetSocketAddress bound) {
        if (settings.address() != null && !settings.address().isBlank()) {
            return settings.address().trim();
        }
        InetAddress host = bound.getAddress();
        if (host.isAnyLocalAddress()) {
            throw new IllegalStateException("the XXL-Job executor listens on every interface (" + settings.ip()
                    + "): set xxl.job.executor.address to the URL the console should call");
        }
        String ip = settings.ip().contains(":") && !settings.ip().startsWith("[")
                ? "[" + settings.ip() + "]"
                : settings.ip();
        return "http://" + ip + ":" + bound.getPort() + "/";
    }

    /**
     * The library builds its console clients (which the callback thread reads) in a private method of
     * {@link XxlJobExecutor#start()}, whose other half would start the embedded server we replace; we call that
     * method alone. The list is static and only ever appended to, so it is emptied first (and on stop): an earlier
     * executor in this JVM must not leave its consoles behind. Pinned to xxl-job-core 3.2.0; XxlJobConsoleIT fails
     * if it moves.
     */
    private void initConsoles() {
        setConsoleClients(null);
        if (!settings.hasConsole()) {
            return;
        }
        try {
            Method init =
                    XxlJobExecutor.class.getDeclaredMethod("initAdminBizList", String.class, String.class, int.class);
            init.setAccessible(true);
            init.invoke(this, settings.adminAddresses(), settings.accessToken(), settings.timeoutSeconds());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("xxl-job-core changed: cannot set up the console clients", e);
        }
    }

    private static void setConsoleClients(List<AdminBiz> clients) {
        try {
            Field list = XxlJobExecutor.class.getDeclaredField("adminBizList");
            list.setAccessible(true);
            list.set(null, clients);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("xxl-job-core changed: cannot reset the console clients", e);
        }
    }

    /**
     * The library's callback thread is a JVM-wide singleton whose stop flag is never cleared, so
     * after one executor stopped (a test, a restarted context) the next one's callbacks to the console would never
     * be sent; clear it before starting it.
     */
    private static <T> T clearStopFlag(T singleton) {
        try {
            Field toStop = singleton.getClass().getDeclaredField("toStop");
            toStop.setAccessible(true);
            toStop.setBoolean(singleton, false);
            return singleton;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "xxl-job-core changed: cannot restart "
                            + singleton.getClass().getSimpleName(),
                    e);
        }
    }

    /** Every {@code @XxlJob} method of the context's beans becomes a handler, as the library's Spring executor does. */
    private void registerHandlers() {
        if (context == null) {
            return;
        }
        for (String name : context.getBeanNamesForType(Object.class, false, true)) {
            Class<?> type = context.getType(name);
            if (type == null) {
                continue;
            }
            Map<Method, XxlJob> jobs =
                    MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<XxlJob>)
                            m -> AnnotatedElementUtils.findMergedAnnotation(m, XxlJob.class));
            if (jobs.isEmpty()) {
                continue;
            }
            Object bean = context.getBean(name);
            jobs.forEach((method, job) ->
                    registJobHandler(job, bean, AopUtils.selectInvocableMethod(method, bean.getClass())));
        }
    }
}
