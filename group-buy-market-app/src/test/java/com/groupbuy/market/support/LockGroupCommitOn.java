package com.groupbuy.market.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.TestPropertySource;

/**
 * Runs an {@link IntegrationTest} with group commit of locks on (#19). A small window (2 ms) makes concurrent locks
 * share batches even when the writer would have been idle, so the race tests put many locks in each transaction.
 * {@link LockGroupCommitCheck} fails every test of the class when group commit is not running after all.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@TestPropertySource(properties = {"gbm.lock.group-commit.enabled=true", "gbm.lock.group-commit.max-wait=2ms"})
@ExtendWith(LockGroupCommitCheck.class)
public @interface LockGroupCommitOn {}
