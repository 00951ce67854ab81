package com.groupbuy.market.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.google.common.cache.Cache;
import com.groupbuy.market.config.ConsoleLogQueue;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.gateway.NotifyAttemptRecorder;
import com.groupbuy.market.infrastructure.gateway.guard.EndpointGuards;
import com.groupbuy.market.infrastructure.outage.DependencyBreaker;
import com.groupbuy.market.trigger.http.TestApiClientController;
import com.groupbuy.market.trigger.http.TradeEdgeFilter;
import com.groupbuy.market.types.progress.InMemoryProgressBoard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.api.RedissonClient;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.context.BootstrapUtils;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import org.springframework.test.util.AopTestUtils;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Before each {@link SharedContextIntegrationTest} class, puts the shared context back to what a context of its own
 * would start with, after what the earlier classes left:
 * <ol>
 *   <li>waits until its work is done: the after-commit outcomes' recorder stopped (it writes out what it holds; started
 *       again at the end), every thread pool of the context (the beans', the pools its beans hold, Tomcat's
 *       request threads) idle, so no callback, after-commit delivery or request of the earlier class writes after the
 *       reset;
 *   <li>the database: every table the earlier classes wrote (rows, or an auto-increment moved) emptied with TRUNCATE,
 *       the tables the migrations seed given the template's rows again, tables the template lacks dropped; a column or
 *       index changed is refused (the class cannot share);
 *   <li>Redis: every key under the context's prefix deleted;
 *   <li>in memory: every Guava cache of the service's beans emptied (market configuration, user bit positions, tag
 *       repairs asked, warnings given), the local rate windows, the timeout run's resume points and unsure orders, the
 *       place reconciler's throttle and resume points, the console's progress board, the test receiver's callbacks,
 *       the callback breakers (reset, closed) with their open and probe times, the live switches read again from the
 *       (reset) table, the lean trade edge set back to its setting;
 *   <li>the JVM's log levels set back to those the shared context started with (a context started since for
 *       another class set its own), the console written as the shared context's setting says;
 *   <li>refused, as no reset can undo them: a dependency breaker (database, Redis) open, the run stop stopping.
 * </ol>
 * The broker needs nothing: the context's internal exchange stays (its own, deleted when it closes), and the test
 * profile binds no queue of its own to it (the refund consumer and close checks are off).
 */
public final class SharedContextReset implements BeforeAllCallback {

    private static final long IDLE_WAIT_MILLIS = 30_000;

    @Override
    public void beforeAll(ExtensionContext extension) throws Exception {
        refuseSettingsOfItsOwn(extension.getRequiredTestClass());
        ConfigurableApplicationContext context =
                (ConfigurableApplicationContext) SpringExtension.getApplicationContext(extension);
        long start = System.nanoTime();
        List<String> done = reset(context);
        System.out.printf(
                "shared context reset for %s in %d ms: %s%n",
                extension.getRequiredTestClass().getSimpleName(), (System.nanoTime() - start) / 1_000_000, done);
    }

    /** The configuration every class sharing the context must have: its key in Spring's context cache. */
    @SharedContextIntegrationTest
    private static final class Shared {}

    /**
     * Fails {@code testClass} before its context is asked for if its configuration is not the shared one: a property,
     * profile, initializer, mock or import of its own (or a shared class's subclass with annotations of its own) would
     * get it a second context, cached until the JVM ends.
     */
    static void refuseSettingsOfItsOwn(Class<?> testClass) {
        MergedContextConfiguration own =
                BootstrapUtils.resolveTestContextBootstrapper(testClass).buildMergedContextConfiguration();
        MergedContextConfiguration shared =
                BootstrapUtils.resolveTestContextBootstrapper(Shared.class).buildMergedContextConfiguration();
        if (!own.equals(shared)) {
            throw new IllegalStateException(testClass.getName() + " is marked @SharedContextIntegrationTest (itself or"
                    + " a class it extends) but has settings of its own, so it would start a second context: mark it"
                    + " @IntegrationTest (a subclass: extend a class that is not shared). Its configuration: " + own
                    + "; the shared one: " + shared);
        }
    }

    /** Puts {@code context} back; answers what it found to undo. */
    static List<String> reset(ConfigurableApplicationContext context) throws Exception {
        List<Object> objects = serviceObjects(context);
        // Its one thread waits for outcomes as long as it runs: stopped, it writes out what it holds and ends.
        Collection<NotifyAttemptRecorder> recorders =
                context.getBeansOfType(NotifyAttemptRecorder.class).values();
        recorders.forEach(NotifyAttemptRecorder::stop);
        awaitIdle(context, objects);
        Environment environment = context.getEnvironment();
        List<String> done = new ArrayList<>();
        resetDatabase(environment.getRequiredProperty("gbm.test.database"), done);
        String prefix = environment.getRequiredProperty("gbm.redis.key-prefix");
        for (RedissonClient redis : context.getBeansOfType(RedissonClient.class).values()) {
            long keys = redis.getKeys().deleteByPattern(prefix + "*");
            if (keys > 0) {
                done.add(keys + " Redis keys");
            }
        }
        resetMemory(objects, done);
        resetLogging(environment, done);
        context.getBeanProvider(LiveSwitchService.class).ifAvailable(LiveSwitchService::reload);
        recorders.forEach(NotifyAttemptRecorder::start);
        boolean lean = environment.getProperty("gbm.http.lean-trade-edge", Boolean.class, true);
        for (FilterRegistrationBean<?> registration :
                context.getBeansOfType(FilterRegistrationBean.class).values()) {
            if (registration.getFilter() instanceof TradeEdgeFilter edge) {
                edge.setEnabled(lean);
            }
        }
        return done;
    }

    /**
     * The context's singletons that are the service's own (unwrapped from their proxies), and the objects of the
     * service they hold in a field: the state a reset must reach is there, a bean or not.
     */
    private static List<Object> serviceObjects(ConfigurableApplicationContext context) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> objects = new ArrayList<>();
        for (String name : context.getBeanFactory().getSingletonNames()) {
            Object bean = context.getBeanFactory().getSingleton(name);
            if (bean == null) {
                continue;
            }
            Object target = AopTestUtils.getUltimateTargetObject(bean);
            if (isService(target) && seen.add(target)) {
                objects.add(target);
                for (Object held : fieldValues(target)) {
                    if (isService(held) && seen.add(held)) {
                        objects.add(held);
                    }
                }
            }
        }
        return objects;
    }

    private static boolean isService(Object object) {
        return object != null && object.getClass().getName().startsWith("com.groupbuy.market.");
    }

    private static List<Object> fieldValues(Object object) {
        List<Object> values = new ArrayList<>();
        for (Field field : fields(object)) {
            values.add(value(field, object));
        }
        return values;
    }

    private static Object value(Field field, Object object) {
        try {
            return field.get(object);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The instance fields of {@code object} that hold objects, opened. */
    private static List<Field> fields(Object object) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> type = object.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        || field.getType().isPrimitive()
                        || field.isSynthetic()
                        || field.getName().contains("$")) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    fields.add(field);
                } catch (RuntimeException e) {
                    // A field of a type this module cannot open: none of the state reset here.
                }
            }
        }
        return fields;
    }

    /** Waits until every pool of the context has no task running or queued, twice in a row. */
    private static void awaitIdle(ConfigurableApplicationContext context, List<Object> objects) throws Exception {
        Map<Executor, String> pools = new IdentityHashMap<>();
        context.getBeansOfType(Executor.class, false, false).forEach((name, pool) -> pools.put(pool, "bean " + name));
        for (Object object : objects) {
            for (Field field : fields(object)) {
                if (value(field, object) instanceof Executor executor) {
                    pools.putIfAbsent(executor, object.getClass().getSimpleName() + "." + field.getName());
                }
            }
        }
        if (context instanceof WebServerApplicationContext web
                && web.getWebServer() instanceof TomcatWebServer tomcat) {
            pools.put(tomcat.getTomcat().getConnector().getProtocolHandler().getExecutor(), "Tomcat's");
        }
        long deadline = System.currentTimeMillis() + IDLE_WAIT_MILLIS;
        int idleInARow = 0;
        while (idleInARow < 2) {
            List<String> busy = new ArrayList<>();
            for (Map.Entry<Executor, String> pool : pools.entrySet()) {
                if (!idle(pool.getKey())) {
                    busy.add(pool.getValue() + " " + pool.getKey());
                }
            }
            idleInARow = busy.isEmpty() ? idleInARow + 1 : 0;
            if (!busy.isEmpty() && System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the shared context's pools are still busy after " + IDLE_WAIT_MILLIS
                        + " ms (the earlier class left work running): " + busy);
            }
            Thread.sleep(20);
        }
    }

    private static boolean idle(Executor pool) {
        if (pool instanceof ThreadPoolTaskExecutor spring) {
            return spring.getActiveCount() == 0;
        }
        if (pool instanceof ScheduledThreadPoolExecutor scheduled) {
            // Periodic tasks stay queued: only one running counts.
            return scheduled.getActiveCount() == 0;
        }
        if (pool instanceof ThreadPoolExecutor executor) {
            return executor.getActiveCount() == 0 && executor.getQueue().isEmpty();
        }
        if (pool instanceof org.apache.tomcat.util.threads.ThreadPoolExecutor tomcat) {
            return tomcat.getActiveCount() == 0 && tomcat.getQueue().isEmpty();
        }
        return true;
    }

    private static void resetDatabase(String database, List<String> done) throws SQLException {
        String template = TemplateDatabase.name();
        List<String> tables = TemplateDatabase.tables();
        List<String> seeded = TemplateDatabase.seeded();
        try (Connection connection = DriverManager.getConnection(
                        IsolatedDatabaseInitializer.SERVER + IsolatedDatabaseInitializer.PARAMS, "root", "");
                Statement statement = connection.createStatement()) {
            String schema = schemaOf(statement, database);
            if (!schema.equals(schemaOf(statement, template))) {
                throw new IllegalStateException("a class sharing the context changed the columns or indexes of "
                        + database + ": it cannot share a context (mark it @IntegrationTest)");
            }
            Map<String, String> increments = autoIncrements(statement, database);
            Map<String, String> templateIncrements = autoIncrements(statement, template);
            for (String table : increments.keySet()) {
                if (!tables.contains(table)) {
                    statement.addBatch("DROP TABLE " + database + "." + table);
                    done.add("dropped " + table);
                }
            }
            List<String> written = withRows(statement, database, tables);
            for (String table : tables) {
                boolean dirty = !Objects.equals(increments.get(table), templateIncrements.get(table))
                        || (seeded.contains(table)
                                ? !checksum(statement, database, table).equals(checksum(statement, template, table))
                                : written.contains(table));
                if (dirty) {
                    statement.addBatch("TRUNCATE TABLE " + database + "." + table);
                    if (seeded.contains(table)) {
                        statement.addBatch(
                                "INSERT INTO " + database + "." + table + " SELECT * FROM " + template + "." + table);
                    }
                    done.add(table);
                }
            }
            statement.executeBatch();
        }
    }

    private static String schemaOf(Statement statement, String database) throws SQLException {
        StringBuilder schema = new StringBuilder();
        try (ResultSet rows = statement.executeQuery("SELECT CONCAT_WS('|', table_name, column_name, column_type,"
                + " is_nullable, IFNULL(column_default, '-'), extra, ordinal_position) FROM information_schema.columns"
                + " WHERE table_schema = '" + database + "' UNION ALL SELECT CONCAT_WS('|', table_name, index_name,"
                + " column_name, seq_in_index, non_unique) FROM information_schema.statistics WHERE table_schema = '"
                + database + "' ORDER BY 1")) {
            while (rows.next()) {
                schema.append(rows.getString(1)).append('\n');
            }
        }
        return schema.toString();
    }

    private static Map<String, String> autoIncrements(Statement statement, String database) throws SQLException {
        Map<String, String> increments = new HashMap<>();
        try (ResultSet rows = statement.executeQuery("SELECT table_name, auto_increment FROM information_schema.tables"
                + " WHERE table_schema = '" + database + "'")) {
            while (rows.next()) {
                increments.put(rows.getString(1), rows.getString(2));
            }
        }
        return increments;
    }

    private static List<String> withRows(Statement statement, String database, List<String> tables)
            throws SQLException {
        List<String> union = new ArrayList<>();
        for (String table : tables) {
            union.add("SELECT '" + table + "' FROM DUAL WHERE EXISTS (SELECT 1 FROM " + database + "." + table + ")");
        }
        List<String> written = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(String.join(" UNION ALL ", union))) {
            while (rows.next()) {
                written.add(rows.getString(1));
            }
        }
        return written;
    }

    private static String checksum(Statement statement, String database, String table) throws SQLException {
        try (ResultSet rows = statement.executeQuery("CHECKSUM TABLE " + database + "." + table)) {
            rows.next();
            return rows.getString(2);
        }
    }

    /** The holders of the state reset below: one missing (renamed, moved) would leave its state unreset. */
    private static final List<String> HOLDERS = List.of(
            "TradeTimeoutService",
            "TeamPlaceReconciler",
            "InMemoryProgressBoard",
            "TestApiClientController",
            "EndpointGuards",
            "LocalRateWindows",
            "DependencyBreaker",
            "RunStop",
            "ActivityRepository",
            "UserBitIndexRepository");

    private static void resetMemory(List<Object> objects, List<String> done) {
        Set<String> found = new HashSet<>();
        objects.forEach(object -> found.add(object.getClass().getSimpleName()));
        if (!found.containsAll(HOLDERS)) {
            List<String> missing = new ArrayList<>(HOLDERS);
            missing.removeAll(found);
            throw new IllegalStateException("the shared context holds no " + missing + ": teach SharedContextReset"
                    + " where their state went");
        }
        for (Object object : objects) {
            for (Object held : fieldValues(object)) {
                if (held instanceof Cache<?, ?> cache && cache.size() > 0) {
                    cache.invalidateAll();
                    done.add("caches of " + object.getClass().getSimpleName());
                }
            }
            if (object instanceof TradeTimeoutService timeouts) {
                // Its unsure closes and each kind's resume points live in objects of their own (UnsureCloses,
                // ShardPages): a missing field fails here by name.
                clear(ReflectionTestUtils.getField(timeouts, "unsure"), done, "orders");
                clear(ReflectionTestUtils.getField(timeouts, "expiredTeams"), done, "resume");
                clear(ReflectionTestUtils.getField(timeouts, "overdueLocks"), done, "resume");
            } else if (object instanceof TeamPlaceReconciler places) {
                clear(places, done, "refusalChecks", "unfinished");
                field(places, AtomicReference.class, "lastRun").set(Instant.MIN);
            } else if (object instanceof InMemoryProgressBoard board) {
                synchronized (board) {
                    clear(board, done, "entries");
                }
            } else if (object instanceof TestApiClientController receiver) {
                Collection<?> received = field(receiver, Collection.class, "received");
                synchronized (received) {
                    clear(receiver, done, "received");
                }
            } else if (object instanceof EndpointGuards guards) {
                field(guards, CircuitBreakerRegistry.class, "breakers")
                        .getAllCircuitBreakers()
                        .forEach(CircuitBreaker::reset);
                clear(guards, done, "openedAt", "probesDue");
            } else if (object instanceof DependencyBreaker breaker && breaker.isOpen()) {
                throw new IllegalStateException("the " + breaker.dependency() + " breaker is open: the class before"
                        + " opened it, and cannot share a context (mark it @IntegrationTest)");
            } else if (object instanceof RunStop stop && stop.stopping()) {
                throw new IllegalStateException("the shared context's run stop is stopping: the class before stopped"
                        + " it, and cannot share a context (mark it @IntegrationTest)");
            }
            if (object.getClass().getSimpleName().equals("LocalRateWindows")) {
                synchronized (object) {
                    clear(object, done, "windows");
                }
            }
        }
    }

    /**
     * The log levels, and whether the console is written on the logging thread, are the JVM's: a context started
     * since (another class's, with settings of its own) set them from its settings and left them. A class that reads
     * its captured log (CallbackAnswerLogIT after CloseCheckRelayBytesIT, which sets {@code com.groupbuy.market} to
     * WARN) found no line.
     */
    private static void resetLogging(Environment environment, List<String> done) {
        Map<String, Level> changed = SharedContextInitializer.restoreLevels();
        if (!changed.isEmpty()) {
            done.add("log levels of " + new TreeMap<>(changed).keySet());
        }
        boolean queued = environment.getProperty("gbm.logging.console-async", Boolean.class, true);
        LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
        loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .iteratorForAppenders()
                .forEachRemaining(appender -> {
                    if (appender instanceof ConsoleLogQueue queue
                            && !Objects.equals(ReflectionTestUtils.getField(queue, "queued"), queued)) {
                        queue.setQueued(queued);
                        done.add("console queued " + queued);
                    }
                });
    }

    private static void clear(Object owner, List<String> done, String... names) {
        for (String name : names) {
            Object value = ReflectionTestUtils.getField(owner, name);
            if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                map.clear();
                done.add(owner.getClass().getSimpleName() + "." + name);
            } else if (value instanceof Collection<?> collection && !collection.isEmpty()) {
                collection.clear();
                done.add(owner.getClass().getSimpleName() + "." + name);
            } else if (!(value instanceof Map<?, ?>) && !(value instanceof Collection<?>)) {
                throw new IllegalStateException(owner.getClass().getName() + "." + name
                        + " is no map or collection any more: teach SharedContextReset its state");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Object owner, Class<T> type, String name) {
        Object value = ReflectionTestUtils.getField(owner, name);
        if (!type.isInstance(value)) {
            throw new IllegalStateException(owner.getClass().getName() + "." + name + " is no " + type.getSimpleName()
                    + " any more: teach SharedContextReset its state");
        }
        return (T) value;
    }
}
