/**
 * Test fixtures for {@code ArchitectureRulesTest}: classes in an infrastructure package that break the architecture
 * rules on purpose. Test sources only; {@code ArchitectureTest} imports main classes only.
 */
package com.groupbuy.market.infrastructure.archfixture;
