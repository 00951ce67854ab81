package com.groupbuy.market.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The layering the README's module table promises, checked on every module's main classes (this module is the only
 * one that has them all on its classpath). Every rule refuses to pass on an empty selection
 * ({@code allowEmptyShould(false)}), so a misspelt package name fails instead of checking nothing;
 * {@link ArchitectureRulesTest} proves each rule can fail.
 */
@AnalyzeClasses(packages = "com.groupbuy.market", importOptions = ImportOption.DoNotIncludeTests.class)
public class ArchitectureTest {

    static final String DOMAIN = "com.groupbuy.market.domain..";
    static final String INFRASTRUCTURE = "com.groupbuy.market.infrastructure..";
    static final String TRIGGER = "com.groupbuy.market.trigger..";
    static final String API = "com.groupbuy.market.api..";
    /** The app module: {@code Application} in the root package, and its configuration. */
    static final String APP_ROOT = "com.groupbuy.market";

    static final String APP_CONFIG = "com.groupbuy.market.config..";
    /** The outbox context: every other context may write to it, it knows none of them. */
    static final String OUTBOX = "com.groupbuy.market.domain.outbox..";

    static final List<String> CONTEXTS_BESIDE_THE_OUTBOX = List.of(
            "com.groupbuy.market.domain.activity..",
            "com.groupbuy.market.domain.switches..",
            "com.groupbuy.market.domain.tag..",
            "com.groupbuy.market.domain.trade..");

    /**
     * Technology the domain must not see: web and servlet, MyBatis and JDBC/transactions (adapters own them),
     * Redisson, OkHttp, RabbitMQ/Spring AMQP, and the Jackson annotations that shape wire JSON (Jackson's
     * ObjectMapper itself stays allowed: the domain may build the partner callback bodies).
     */
    static final List<String> TECHNOLOGY_OUTSIDE_THE_DOMAIN = List.of(
            "org.springframework.web..",
            "org.springframework.http..",
            "org.springframework.boot.web..",
            "jakarta.servlet..",
            "org.apache.ibatis..",
            "org.mybatis..",
            "org.springframework.jdbc..",
            "org.springframework.transaction..",
            "org.redisson..",
            "okhttp3..",
            "okio..",
            "com.rabbitmq..",
            "org.springframework.amqp..",
            "com.fasterxml.jackson.annotation..",
            "com.fasterxml.jackson.databind.annotation..");

    @ArchTest
    public static final ArchRule DOMAIN_USES_NO_INFRASTRUCTURE_TECHNOLOGY = noClasses()
            .that()
            .resideInAPackage(DOMAIN)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(TECHNOLOGY_OUTSIDE_THE_DOMAIN.toArray(String[]::new))
            .because("the domain decides; adapters in infrastructure and trigger speak to databases, brokers and HTTP")
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule DOMAIN_DEPENDS_ON_NO_OUTER_MODULE = noClasses()
            .that()
            .resideInAPackage(DOMAIN)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(INFRASTRUCTURE, TRIGGER, API, APP_ROOT, APP_CONFIG)
            .because("the domain depends on types only (README, Modules); the outer modules implement its ports")
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule TRIGGER_DOES_NOT_USE_INFRASTRUCTURE = noClasses()
            .that()
            .resideInAPackage(TRIGGER)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(INFRASTRUCTURE)
            .because("controllers, jobs and listeners call the domain's services, never an adapter directly")
            .allowEmptyShould(false);

    /** activity, switches, tag, trade, ...: one slice per context, whatever contexts are added later. */
    @ArchTest
    public static final ArchRule DOMAIN_CONTEXTS_ARE_FREE_OF_CYCLES = slices().matching(
                    "com.groupbuy.market.domain.(*)..")
            .should()
            .beFreeOfCycles()
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule OUTBOX_KNOWS_NO_OTHER_CONTEXT = noClasses()
            .that()
            .resideInAPackage(OUTBOX)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(CONTEXTS_BESIDE_THE_OUTBOX.toArray(String[]::new))
            .because("trade (and any context) writes tasks through the outbox's ports; the outbox delivers bytes and "
                    + "must not learn what a team or an order is")
            .allowEmptyShould(false);

    /** infrastructure split as the domain is (activity, outbox, trade, ...) plus its technical packages. */
    @ArchTest
    public static final ArchRule INFRASTRUCTURE_PACKAGES_ARE_FREE_OF_CYCLES = slices().matching(
                    "com.groupbuy.market.infrastructure.(*)..")
            .should()
            .beFreeOfCycles()
            .allowEmptyShould(false);

    /**
     * With the pool's auto-commit off (DB_AUTO_COMMIT=false, application.yml) outside a transaction MyBatis-Spring
     * commits after each call, a plain JdbcTemplate does not, and the pool rolls back what it left uncommitted.
     */
    @ArchTest
    public static final ArchRule DATABASE_WORK_GOES_THROUGH_MYBATIS = noClasses()
            .that()
            .resideInAnyPackage(DOMAIN, INFRASTRUCTURE, TRIGGER, APP_CONFIG)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.jdbc.core..")
            .because("with the pool's auto-commit off, a JdbcTemplate write outside a transaction is rolled back when "
                    + "its connection returns to the pool; MyBatis-Spring commits it")
            .allowEmptyShould(false);

    /**
     * What sizes itself from the processor count the JVM sees: 1 in a container of one CPU or less, every core of the
     * host where no limit is set (docs/operations.md "Processor count"). The common pool runs CPUs − 1 threads, and
     * below 3 processors CompletableFuture's executor-less *Async methods (and delayedExecutor without one) start a new
     * thread for every task; a pool of availableProcessors() − 1 cannot even be made at 1.
     */
    static final DescribedPredicate<JavaCall<?>> SIZED_BY_PROCESSOR_COUNT =
            DescribedPredicate.describe("sizes itself from the processor count", call -> {
                // By name: the JDK's classes are not imported, so their hierarchy is unknown here.
                String owner = call.getTarget().getOwner().getName();
                String name = call.getTarget().getName();
                List<String> parameters = call.getTarget().getRawParameterTypes().stream()
                        .map(JavaClass::getName)
                        .toList();
                boolean executorGiven = !parameters.isEmpty()
                        && parameters.get(parameters.size() - 1).equals("java.util.concurrent.Executor");
                return (owner.equals("java.lang.Runtime") && name.equals("availableProcessors"))
                        || (owner.equals("java.util.concurrent.ForkJoinPool")
                                && (name.equals("commonPool") || (name.equals("<init>") && parameters.isEmpty())))
                        || (owner.equals("java.util.concurrent.Executors")
                                && name.equals("newWorkStealingPool")
                                && parameters.isEmpty())
                        || (name.equals("parallelStream") && parameters.isEmpty())
                        || (owner.startsWith("java.util.stream.") && name.equals("parallel"))
                        || ((owner.equals("java.util.concurrent.CompletableFuture")
                                        || owner.equals("java.util.concurrent.CompletionStage"))
                                && (name.endsWith("Async") || name.equals("delayedExecutor"))
                                && !executorGiven);
            });

    @ArchTest
    public static final ArchRule NOTHING_SIZES_ITSELF_FROM_THE_PROCESSOR_COUNT = noClasses()
            .that()
            .resideInAnyPackage(APP_ROOT + "..")
            .should()
            .callCodeUnitWhere(SIZED_BY_PROCESSOR_COUNT)
            .because("the processor count the JVM sees is 1 in a small container and 64 on a big host: every pool "
                    + "of ours is sized by a setting or a constant, and work runs on an executor we name")
            .allowEmptyShould(false);

    static final List<ArchRule> ALL_RULES = List.of(
            NOTHING_SIZES_ITSELF_FROM_THE_PROCESSOR_COUNT,
            DATABASE_WORK_GOES_THROUGH_MYBATIS,
            INFRASTRUCTURE_PACKAGES_ARE_FREE_OF_CYCLES,
            OUTBOX_KNOWS_NO_OTHER_CONTEXT,
            DOMAIN_USES_NO_INFRASTRUCTURE_TECHNOLOGY,
            DOMAIN_DEPENDS_ON_NO_OUTER_MODULE,
            TRIGGER_DOES_NOT_USE_INFRASTRUCTURE,
            DOMAIN_CONTEXTS_ARE_FREE_OF_CYCLES);
}
