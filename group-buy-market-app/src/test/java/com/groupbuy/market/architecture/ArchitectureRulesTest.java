package com.groupbuy.market.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.archfixture.DomainClassCallingAnAdapter;
import com.groupbuy.market.domain.archfixture.DomainClassHoldingRedisson;
import com.groupbuy.market.domain.archfixture.DomainClassInACycle;
import com.groupbuy.market.domain.archfixturecycle.OtherContextClassInACycle;
import com.groupbuy.market.domain.outbox.archfixture.OutboxClassReadingATeam;
import com.groupbuy.market.infrastructure.archfixture.InfrastructureClassSizedByProcessors;
import com.groupbuy.market.infrastructure.archfixture.InfrastructureClassWritingWithJdbcTemplate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Locations;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ArchitectureTest}'s rules can fail: each is checked against fixture classes (test sources only, outside
 * ArchitectureTest's import) that break it; each refuses an empty selection; each package it names exists.
 */
class ArchitectureRulesTest {

    private static final ClassFileImporter IMPORTER = new ClassFileImporter();

    @Test
    void aDomainClassHoldingARedissonClientBreaksTheTechnologyRule() {
        JavaClasses fixture = IMPORTER.importClasses(DomainClassHoldingRedisson.class);

        assertThatThrownBy(() -> ArchitectureTest.DOMAIN_USES_NO_INFRASTRUCTURE_TECHNOLOGY.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(DomainClassHoldingRedisson.class.getName())
                .hasMessageContaining("org.redisson.api.RedissonClient");
    }

    @Test
    void aDomainClassCallingAnInfrastructureClassBreaksTheLayerRule() {
        JavaClasses fixture = IMPORTER.importClasses(DomainClassCallingAnAdapter.class);

        assertThatThrownBy(() -> ArchitectureTest.DOMAIN_DEPENDS_ON_NO_OUTER_MODULE.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("com.groupbuy.market.infrastructure.redis.RedisKeys");
    }

    @Test
    void twoContextsUsingEachOtherBreakTheCycleRule() {
        JavaClasses fixture = IMPORTER.importClasses(DomainClassInACycle.class, OtherContextClassInACycle.class);

        assertThatThrownBy(() -> ArchitectureTest.DOMAIN_CONTEXTS_ARE_FREE_OF_CYCLES.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected");
    }

    @Test
    void anOutboxClassUsingATradeTypeBreaksTheOutboxRule() {
        JavaClasses fixture = IMPORTER.importClasses(OutboxClassReadingATeam.class);

        assertThatThrownBy(() -> ArchitectureTest.OUTBOX_KNOWS_NO_OTHER_CONTEXT.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(OutboxClassReadingATeam.class.getName())
                .hasMessageContaining("com.groupbuy.market.domain.trade.model.valobj.TeamStatus");
    }

    @Test
    void anInfrastructureClassWritingThroughAJdbcTemplateBreaksTheMyBatisRule() {
        JavaClasses fixture = IMPORTER.importClasses(InfrastructureClassWritingWithJdbcTemplate.class);

        assertThatThrownBy(() -> ArchitectureTest.DATABASE_WORK_GOES_THROUGH_MYBATIS.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(InfrastructureClassWritingWithJdbcTemplate.class.getName())
                .hasMessageContaining("org.springframework.jdbc.core.JdbcTemplate");
    }

    @Test
    void aClassSizedByTheProcessorCountBreaksTheProcessorRule() {
        JavaClasses fixture = IMPORTER.importClasses(InfrastructureClassSizedByProcessors.class);

        assertThatThrownBy(() -> ArchitectureTest.NOTHING_SIZES_ITSELF_FROM_THE_PROCESSOR_COUNT.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Runtime.availableProcessors()")
                .hasMessageContaining("CompletableFuture.supplyAsync(java.util.function.Supplier)")
                .hasMessageContaining("CompletableFuture.delayedExecutor(long, java.util.concurrent.TimeUnit)")
                .hasMessageContaining("List.parallelStream()")
                .hasMessageContaining("ForkJoinPool.commonPool()")
                // The same calls given an executor of ours are allowed.
                .hasMessageNotContaining("supplyAsync(java.util.function.Supplier, java.util.concurrent.Executor)")
                .hasMessageNotContaining("TimeUnit, java.util.concurrent.Executor)");
    }

    @Test
    void theFixturesPassTheRulesTheyDoNotTarget() {
        // The rules above fail for the fixture's reason, not because any fixture breaks every rule.
        JavaClasses cycle = IMPORTER.importClasses(DomainClassInACycle.class, OtherContextClassInACycle.class);

        ArchitectureTest.DOMAIN_USES_NO_INFRASTRUCTURE_TECHNOLOGY.check(cycle);
        ArchitectureTest.DOMAIN_DEPENDS_ON_NO_OUTER_MODULE.check(cycle);
    }

    @Test
    void everyRuleFailsWhenItsPackagesMatchNoClass() {
        // As a misspelt package would: nothing of ours is imported, so every rule has nothing to check.
        JavaClasses noneOfOurs = IMPORTER.importClasses(String.class);

        for (ArchRule rule : ArchitectureTest.ALL_RULES) {
            assertThatThrownBy(() -> rule.check(noneOfOurs))
                    .as(rule.getDescription())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("failed to check any classes");
        }
    }

    @Test
    void everyPackageARuleForbidsExists() {
        // allowEmptyShould guards the packages a rule checks; this guards the ones it forbids against a typo.
        List<String> packages = new ArrayList<>(ArchitectureTest.TECHNOLOGY_OUTSIDE_THE_DOMAIN);
        packages.addAll(ArchitectureTest.CONTEXTS_BESIDE_THE_OUTBOX);
        packages.addAll(List.of(
                ArchitectureTest.OUTBOX,
                ArchitectureTest.DOMAIN,
                ArchitectureTest.INFRASTRUCTURE,
                ArchitectureTest.TRIGGER,
                ArchitectureTest.API,
                ArchitectureTest.APP_ROOT,
                ArchitectureTest.APP_CONFIG));

        for (String pattern : packages) {
            String name = pattern.endsWith("..") ? pattern.substring(0, pattern.length() - 2) : pattern;
            assertThat(Locations.ofPackage(name)).as(name).isNotEmpty();
        }
    }
}
