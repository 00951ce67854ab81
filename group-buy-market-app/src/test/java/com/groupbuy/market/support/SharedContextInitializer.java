package com.groupbuy.market.support;

/**
 * {@link IsolatedDatabaseInitializer} for the one context the {@link SharedContextIntegrationTest} classes of a JVM
 * share: the same database copy, key prefix and exchange of its own, dropped when the JVM ends. A class of its own, so
 * Spring's context cache never hands this context to an {@link IntegrationTest} class (whose context would otherwise
 * have the same key) nor closes it after one.
 */
public class SharedContextInitializer extends IsolatedDatabaseInitializer {}
