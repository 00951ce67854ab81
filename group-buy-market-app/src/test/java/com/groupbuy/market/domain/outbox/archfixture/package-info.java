/**
 * Test fixture for {@code ArchitectureRulesTest}: an outbox class that reads a trade type on purpose. Test sources
 * only; {@code ArchitectureTest} imports main classes only.
 */
package com.groupbuy.market.domain.outbox.archfixture;
