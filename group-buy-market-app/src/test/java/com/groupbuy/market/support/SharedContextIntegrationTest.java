package com.groupbuy.market.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * {@link IntegrationTest}'s service (random port, the real local MariaDB, Redis and broker, the test profile) in one
 * context that the classes so marked share in a test JVM, instead of a context started and closed per class. Before
 * each class, {@link SharedContextReset} puts back what an earlier class may have left: the database's rows (the
 * template's), the context's Redis keys, and the in-memory state of the beans a class can change. Only for classes
 * that need nothing of their own (no properties, profiles, private servers, second instances or processes) and that
 * change no state the reset does not know: a class that closes or stops parts of the context, reads server-wide
 * counters, or changes a setting the reset does not reload keeps {@link IntegrationTest}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = SharedContextInitializer.class)
@ExtendWith(SharedContextReset.class)
public @interface SharedContextIntegrationTest {}
