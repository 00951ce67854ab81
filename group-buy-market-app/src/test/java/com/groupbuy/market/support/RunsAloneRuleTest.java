package com.groupbuy.market.support;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * A test class that binds a mall's queue on the shared broker's default exchange ({@code new MallQueue(routingKey)},
 * {@code MallQueues.bind(routingKey)}) is marked {@link RunsAlone}: beside another class, its queue would take that
 * class's callbacks, and make routable a key that class expects to come back unroutable. The build runs unmarked
 * classes two at a time.
 */
class RunsAloneRuleTest {

    static final ArchRule SHARED_DEFAULT_EXCHANGE_ONLY_ALONE = noClasses()
            .that(DescribedPredicate.not(runningAlone()))
            .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(MallQueue.class, MallQueues.class)))
            .should()
            .callConstructor(MallQueue.class, String.class)
            .orShould()
            .callMethod(MallQueues.class, "bind", String.class)
            .because(
                    "a queue on the shared default exchange takes other classes' callbacks: mark the class @RunsAlone");

    @Test
    void everyTestClassOnTheSharedDefaultExchangeRunsAlone() {
        JavaClasses tests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("com.groupbuy.market");
        JavaClasses checked =
                tests.that(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(RunsAloneRuleTest.class)));

        assertThat(checked.contain(MallQueues.class)).isTrue();
        SHARED_DEFAULT_EXCHANGE_ONLY_ALONE.check(checked);
    }

    @Test
    void anUnmarkedClassBindingOnTheSharedDefaultExchangeIsRefused() {
        JavaClasses fixtures = new ClassFileImporter()
                .importClasses(UnmarkedMallQueue.class, UnmarkedMallQueues.class, MarkedMallQueue.class);

        assertThat(SHARED_DEFAULT_EXCHANGE_ONLY_ALONE
                        .evaluate(fixtures)
                        .getFailureReport()
                        .getDetails())
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).contains(UnmarkedMallQueue.class.getName()))
                .anySatisfy(line -> assertThat(line).contains(UnmarkedMallQueues.class.getName()))
                .noneSatisfy(line -> assertThat(line).contains(MarkedMallQueue.class.getName()));
    }

    /** The class, or the test class it is nested in (a lambda's or anonymous class's), carries {@link RunsAlone}. */
    private static DescribedPredicate<JavaClass> runningAlone() {
        return DescribedPredicate.describe("marked @RunsAlone", javaClass -> {
            for (Class<?> c = javaClass.reflect(); c != null; c = c.getEnclosingClass()) {
                if (c.isAnnotationPresent(RunsAlone.class)) {
                    return true;
                }
            }
            return false;
        });
    }

    // Fixtures: analysed, never run.

    static class UnmarkedMallQueue {
        void bind() throws Exception {
            new MallQueue("topic.team_success").close();
        }
    }

    static class UnmarkedMallQueues {
        void bind(MallQueues malls) throws Exception {
            malls.bind("topic.team_success");
        }
    }

    @RunsAlone
    static class MarkedMallQueue {
        void bind() throws Exception {
            new MallQueue("topic.team_success").close();
        }
    }
}
