/**
 * The operators' console reads, which cross every context (activities, teams, tag imports, failed tasks) over one
 * mapper.
 */
package com.groupbuy.market.infrastructure.console;
